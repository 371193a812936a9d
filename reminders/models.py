"""Reminder rules, holidays, holiday campaigns and the outbox live here."""
