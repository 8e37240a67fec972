-- in_filter(allowed, value): an empty list means "no filter on this dimension"; every filter uses it.
create macro in_filter(allowed, value) as len(allowed) = 0 or list_contains(allowed, value)
