"""itm528-tutor: a terminal tutor for the ITM 528 Deep Learning exam.

Importing the package must stay cheap: no Textual, numpy or sympy here.
"""

__version__ = "0.1.0"
