"""The tutor's screens, one module each: overview, question, results, help, dialogs, too small.

Screens are given the exam and the progress store (plain objects); they ask the app for another
screen by posting the small messages of `tutor.screens.messages`.
"""
