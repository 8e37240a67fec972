-- xlsx_number_cell(value, style): a number cell of an Excel sheet as its XML, in the workbook's cell
-- format number `style`. A missing value is an empty cell (<c/>), and so is one that is not finite:
-- a sheet has no NaN or infinity.
create macro xlsx_number_cell(value, style) as
    case
        when value is null or not isfinite(value) then '<c/>'
        else '<c s="' || style || '"><v>' || cast(value as varchar) || '</v></c>'
    end
