"""Exports of a plan (docs/commands.md, `rotation export`): a Schedule CSV per class, iCalendar files per adult
and per room, and a pseudonymised copy of the plan. Each writes into a folder it is given; `staged` makes a set
of files appear whole or not at all."""
