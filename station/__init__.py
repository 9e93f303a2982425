"""What the station does, called by the web and the scheduler alike: articles and their approval, bulletins,
programmes and the calendar, area rules (policy/), targets, audit, and airtime accounting against plans."""
