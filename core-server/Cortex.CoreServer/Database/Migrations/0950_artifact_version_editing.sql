-- Proposed artifact versions are co-edited live (issue 7): their document writes the text back into the row, so a
-- version's body changes while it is proposed. `revision` counts those writes (a reviewer accepts the revision they
-- read: If-Match on accept), `editors` names everyone whose edit reached the body: the canon gate refuses them as
-- reviewers, as it refuses the author. Canon and superseded versions stay immutable (DocumentOwners).
ALTER TABLE artifact_versions
    ADD COLUMN revision int NOT NULL DEFAULT 1,
    ADD COLUMN editors  text[] NOT NULL DEFAULT '{}';
