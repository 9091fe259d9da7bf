"""What a person or a pull request reads: previews, reports, the calendar export."""
