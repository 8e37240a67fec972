-- The agencies a person's scope allows (dashboard/data/access.py): kept as a temporary table on
-- the query's own cursor, which every scoped view below reads. A dimension left null does not
-- limit; an empty list allows nothing; the dimensions that are given must all match. Types and
-- groups are the agency's latest, as every filter uses them.
create temp table scope_agencies as
select agency_code
from {catalog}.main.agencies
where not $scope_nothing
    and ($scope_types is null or list_contains($scope_types, agency_type))
    and ($scope_groups is null or list_contains($scope_groups, agency_group_th))
    and ($scope_agencies is null or list_contains($scope_agencies, agency_code))
