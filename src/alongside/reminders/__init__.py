"""Due reminders (review, action, debrief) claimed with row locks and sent by a worker process."""
