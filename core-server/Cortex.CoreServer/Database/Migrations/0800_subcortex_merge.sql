-- Subcortex merge with redirects (issue 6): a merged subcortex keeps its row and slug, points at the subcortex that
-- took its content, and its slug resolves there. merged_into_id exists since 0001; these keep it consistent.

ALTER TABLE subcortexes
    ADD CONSTRAINT subcortexes_merged_into_consistent
        CHECK ((state = 'merged') = (merged_into_id IS NOT NULL) AND merged_into_id IS DISTINCT FROM id);

-- Resolving a slug follows merged_into_id; listing what was merged into a subcortex reads it backwards.
CREATE INDEX subcortexes_merged_into ON subcortexes (merged_into_id) WHERE merged_into_id IS NOT NULL;
