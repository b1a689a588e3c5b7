// Search client: filled in by the search issue.
