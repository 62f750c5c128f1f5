-- Issue 16, the files officers really receive.
--
-- 1. House use (房屋用途) follows the national classification, GB/T 17986.1's eight top-level classes,
--    instead of five words of our own (cn.haizhu.grid.data.codes.HouseUse holds the list and the everyday
--    synonyms officers' files use; docs/DOMAIN.md). Stored values move to their class: 商铺 → 商业金融信息,
--    厂房 → 工业交通仓储; 住宅, 办公 and 其他 are classes already.
--    Every node runs this migration on its own rows, so the rewrite is not a change to exchange: the
--    table's triggers (change log, version bump, tile invalidation) are off for it, and the tile caches
--    start empty with the server that migrated.
ALTER TABLE house DROP CONSTRAINT IF EXISTS house_use_check;
ALTER TABLE house DISABLE TRIGGER USER;
UPDATE house SET use = CASE use WHEN '商铺' THEN '商业金融信息' WHEN '厂房' THEN '工业交通仓储' END
WHERE use IN ('商铺', '厂房');
ALTER TABLE house ENABLE TRIGGER USER;
ALTER TABLE house ADD CONSTRAINT house_use_check
    CHECK (use IN ('住宅', '商业金融信息', '办公', '工业交通仓储', '教育医疗卫生科研', '文化娱乐体育', '军事', '其他'));

-- 2. Residents registered with another document than the resident ID card (cn.haizhu.grid.data.codes.IdDocument):
--    the number stays in id_number_* (encrypted, keyed hash, masked as an ID number), its type beside it.
--    A constant default adds the column without rewriting the table; every stored person holds an ID card.
ALTER TABLE person ADD COLUMN id_type text NOT NULL DEFAULT 'resident_id'
    CONSTRAINT person_id_type_check
    CHECK (id_type IN ('resident_id', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent', 'passport'));
COMMENT ON COLUMN person.id_type IS 'the identity document of id_number_*: resident_id (居民身份证), hk_macao_permit, taiwan_permit, foreign_permanent, passport';
