"""The app's flows, owned by the app and reached from the screens only through messages:

- `navigator`: which screen is shown (the overview at the bottom, one question or practice screen
  above it, results, help and dialogs on top), and the drafts of the question screen kept on the way;
- `attempts`: the current attempt's question screens, its retakes and reset, self-marks from results;
- `exam`: exam mode, its clock (an injectable `now`), submitting and the quit rule;
- `practice`: practice problems and the practice commands.

Controllers may import screens; no screen or widget imports a controller or the app. They are given
the app (a plain `textual.app.App`) and what else they use, never import `tutor.app`.
"""
