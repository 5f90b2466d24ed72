"""Text the app's screens and the command line both show: Rich renderables and plain
formatting, no Textual, so ``studyapp stats`` prints the same figures the stats screen
draws without importing the UI."""
