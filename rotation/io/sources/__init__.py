"""A school's own files read: district rosters (OneRoster, Clever), assessment exports (NWEA MAP Growth, i-Ready,
Renaissance Star) and any CSV or workbook through a column mapping; matched to each other and to a planning
workbook (docs/import.md)."""
