-- Stand-in (branch rosters2): number 13 belongs to branch imports.
-- Migrations must run without a gap and this branch's 014_leave.sql
-- needs one before it. When merging, take imports' 013_imports.sql
-- instead of this file (and keep one SCHEMA line for it); if imports
-- made no migration, keep this one: it does nothing.
SELECT 1;
