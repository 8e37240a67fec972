-- xlsx_text_cell(value): a text cell of an Excel sheet as its XML, an inline string, escaped as
-- xlsxwriter escapes one (so a streamed sheet reads back as the cell-by-cell one did): a literal
-- _xHHHH_ keeps its underscore as _x005F_, control characters become _xHHHH_, & < > entities, and
-- spaces are kept. Never a formula. A missing or empty text is an empty cell (<c/>): cells carry no
-- reference, so an empty one holds the next cell in its column.
create macro xlsx_text_cell(value) as
    case
        when value is null or value = '' then '<c/>'
        else '<c t="inlineStr"><is><t xml:space="preserve">'
            || replace(replace(replace(
                case
                    -- the rare text that needs Excel's escapes pays for them; the rest is left as it is
                    when regexp_matches(value, '_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\x{FFFE}\x{FFFF}]')
                        then list_reduce(
                            list_prepend(
                                regexp_replace(value, '(_x[0-9a-fA-F]{4}_)', '_x005F\1', 'g'),
                                list_transform(
                                    list_concat(range(0, 9), range(11, 32), [65534, 65535]),
                                    lambda code: chr(code::integer)
                                )
                            ),
                            lambda text, ch: replace(text, ch, printf('_x%04X_', unicode(ch)))
                        )
                    else value
                end,
                '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
            || '</t></is></c>'
    end
