-- A city node (市级平台, issue 15) holds the city and its districts in its area tree: admin_area
-- gets a 'city' level, a 6-digit code ending in 00 (Guangzhou 440100), above the districts. The
-- district under a city names it as its parent; at a district node the district stays the root.
-- The city outline is, like the district's, everyone's orientation: row-level security shows it to
-- every scope.
ALTER TABLE admin_area DROP CONSTRAINT admin_area_level_check;
ALTER TABLE admin_area DROP CONSTRAINT admin_area_check;
ALTER TABLE admin_area DROP CONSTRAINT admin_area_check1;
ALTER TABLE admin_area ADD CONSTRAINT admin_area_level_check
    CHECK (level IN ('city', 'district', 'street', 'community'));
ALTER TABLE admin_area ADD CONSTRAINT admin_area_check
    CHECK ((level = 'city') = (length(code) = 6 AND right(code, 2) = '00')
       AND (level = 'district') = (length(code) = 6 AND right(code, 2) <> '00')
       AND (level = 'street') = (length(code) = 9)
       AND (level = 'community') = (length(code) = 12));
-- A code starts with its parent's, except a district under its city: 440105 under 440100.
ALTER TABLE admin_area ADD CONSTRAINT admin_area_check1
    CHECK (parent_code IS NULL OR starts_with(code, parent_code)
        OR (level = 'district' AND parent_code = left(code, 4) || '00'));

DROP POLICY scope ON admin_area;
CREATE POLICY scope ON admin_area TO gridctl_app
    USING (level IN ('city', 'district') OR gridctl_scope_allows(street_code, NULL)
           OR (current_setting('gridctl.scope_kind', true) = 'grids'
               AND EXISTS (SELECT 1 FROM grid g WHERE g.code = ANY (string_to_array(current_setting('gridctl.scope_code', true), ','))
                                                  AND (g.street_code = admin_area.code OR g.community_code = admin_area.code))));
