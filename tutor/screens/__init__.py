"""The tutor's screens, one module each: overview, question (and practice), results, help, dialogs,
too small; and how a question screen's work is recorded (recording.py, recorders.py).

Screens are given the exam, the progress store (plain objects) and, for a question, the recorder of
its kind of session; they ask the app for another screen or a flow by posting the small messages of
`tutor.screens.messages`, and never import the app or its controllers (tutor.controllers).
"""
