"""One screen per area of the app; each takes the StudyContext it needs."""
