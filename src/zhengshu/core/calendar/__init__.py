"""Working-day calendar (工作日历): which days are working days in China, as data (holidays and the
weekend days made working days, 调休), so that deadlines in working days can be computed and extended."""
