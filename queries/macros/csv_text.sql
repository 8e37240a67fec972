-- csv_text(value): a text cell as an export's CSV holds it, safe to open in a spreadsheet (OWASP, CSV
-- injection): every line of it that starts with = + - @ or a tab, and a cell that starts with a
-- carriage return, gets a leading apostrophe, so a spreadsheet shows the text instead of running it.
-- An empty text is written as a missing one is, an empty field (DuckDB's writer would quote it as "").
-- Most cells need none of it: only one whose first character is = + - @ tab or carriage return (61,
-- 43, 45, 64, 9, 13), or that holds a line break, goes through the regular expression, which cost a
-- national export about as much as writing the file did.
create macro csv_text(value) as case
    when ascii(value) in (61, 43, 45, 64, 9, 13) or contains(value, chr(10)) or contains(value, chr(13))
        then case when starts_with(value, chr(13)) then '''' else '' end
            || regexp_replace(value, '(^|[\r\n])([=+\-@\t])', '\1''\2', 'g')
    else nullif(value, '')
end
