using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Templates;
using Cortex.SecretScanning;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;

namespace Cortex.CoreServer.Artifacts;

/// <summary>
/// The canon gate: a version becomes canon only when a reviewer other than its author and its co-editors accepts it,
/// it cites the evidence and has the sections its template requires, and the secret scan finds nothing. The artifact
/// row lock serializes acceptances, the version row lock keeps live edits out while the checks run, and a unique
/// partial index keeps one canon version per artifact even if the locks were bypassed.
/// </summary>
internal sealed class CanonGate(ArtifactStore artifacts, TemplateStore templates, SecretScanner scanner)
{
    /// <summary>
    /// Accepts version <paramref name="number"/> into canon. <paramref name="expectedRevision"/> is the revision the
    /// reviewer read (If-Match, optional): a proposed version is co-edited live, and what becomes canon must be what was
    /// reviewed.
    /// </summary>
    public async Task<ArtifactVersion> AcceptAsync(
        HttpContext context, WriteSession session, string artifactId, int number, Apis.ExpectedVersion? expectedRevision, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (visible, access) = await Apis.ArtifactsApi.LoadVisibleAsync(artifacts, me, artifactId, cancellationToken);
        me.Demand(CortexAction.AcceptCanon, access.Resource(ResourceKind.Artifact, visible.CreatedBy));
        var artifact = await ArtifactStore.LockAsync(session, artifactId, cancellationToken) ?? throw CortexException.NotFound("The artifact");
        if (artifact.State != ArtifactState.Active)
        {
            throw new CortexException(GateProblems.NotActive, $"The artifact is {SqlNames.Of(artifact.State)}; its versions no longer become canon.");
        }

        var version = await ArtifactStore.LockVersionAsync(session, artifactId, number, cancellationToken)
            ?? throw CortexException.NotFound($"Version {number} of the artifact");
        switch (version.State)
        {
            case VersionState.Canon:
                await session.CommitAsync(cancellationToken);
                return version;
            case VersionState.Superseded:
                throw new CortexException(GateProblems.AlreadyDecided, "A superseded version does not return to canon; propose its text again as a new version.");
        }

        if (version.AuthorId == me.Id)
        {
            throw new CortexException(GateProblems.SelfReview, "You wrote this version; another reviewer must accept it into canon.");
        }

        if (version.Editors.Contains(me.Id, StringComparer.Ordinal))
        {
            throw new CortexException(GateProblems.SelfReview, "You co-edited this version; another reviewer must accept it into canon.");
        }

        if (expectedRevision is { } expected && expected.Version != version.Revision)
        {
            throw new CortexException(ProblemKind.PreconditionFailed,
                $"Version {number} was edited since you read it (you read revision {expected.Version}, it is at {version.Revision}); " +
                "read it again before accepting it.");
        }

        await RequireEvidenceAsync(artifact, version, cancellationToken);
        await templates.RequireSectionsForDecisionAsync(
            artifact.SubcortexId, artifact.Kind, version.Body, "add them to the version (or propose a new one) before it becomes canon.", cancellationToken);
        RequireNoSecrets(version);

        var previous = artifact.CanonVersion;
        var accepted = await ArtifactStore.MakeCanonAsync(session, artifactId, number, me.Id, cancellationToken);
        var latencyMs = (long)(accepted.AcceptedAt!.Value - accepted.CreatedAt).TotalMilliseconds;
        session.Mutated(context, "artifact.canon.accept", ArtifactChanges.Version(accepted, artifact.SubcortexId, ChangeOperation.Updated));
        if (previous is { } superseded)
        {
            session.Record(ArtifactChanges.Version(version with { Number = superseded, State = VersionState.Superseded }, artifact.SubcortexId, ChangeOperation.Updated));
        }

        session.Record(ArtifactChanges.Artifact(artifact with { Version = artifact.Version + 1 }, ChangeOperation.Updated));
        session.Audit(new Audit.AuditEntry(
            "artifact.canon.latency", Audit.AuditOutcome.Succeeded, context.Actor(), EntityNames.ArtifactVersion, $"{artifactId}:{number}", $"latencyMs={latencyMs}"));
        await session.CommitAsync(cancellationToken);
        return accepted;
    }

    private async Task RequireEvidenceAsync(Artifact artifact, ArtifactVersion version, CancellationToken cancellationToken)
    {
        var template = await templates.FindAsync(artifact.SubcortexId, artifact.Kind, cancellationToken);
        if (template is null || template.MinEvidence == 0)
        {
            return;
        }

        var counted = version.Evidence.Count(link => template.EvidenceKinds.Contains(link.Kind));
        if (counted < template.MinEvidence)
        {
            var kinds = string.Join(", ", template.EvidenceKinds);
            var message = $"Canon for a {artifact.Kind} needs at least {template.MinEvidence} evidence link(s) of kind {kinds}; " +
                $"version {version.Number} has {counted}, so {template.MinEvidence - counted} more are missing.";
            throw new CortexException(GateProblems.EvidenceMissing, message, new Dictionary<string, string[]> { ["evidence"] = [message] });
        }
    }

    /// <summary>Names the kinds and lines of what was found, never the text itself.</summary>
    private void RequireNoSecrets(ArtifactVersion version)
    {
        var findings = scanner.Scan(version.Body).Concat(version.Evidence.SelectMany(link => scanner.Scan(link.Target))).ToList();
        if (findings.Count > 0)
        {
            var kinds = findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var lines = findings.Select(f => f.Line).Distinct().Order().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new CortexException(
                GateProblems.SecretFound,
                $"The secret scan found {string.Join(", ", kinds)} (body lines {string.Join(", ", lines)}); remove it and propose a new version.",
                new Dictionary<string, string[]> { ["secretKinds"] = [.. kinds] });
        }
    }
}
