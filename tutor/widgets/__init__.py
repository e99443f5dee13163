"""Reusable widgets of the tutor: answer inputs, the step reveal, one part of a question.

Each widget shows a kind of thing (a kind of part, a worked computation), never a particular question.
"""
