using Cortex.CoreServer.Attachments;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Idempotency;
using Cortex.CoreServer.Observations;
using Cortex.ObjectStore;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cortex.CoreServer.Apis;

internal static class AttachmentsApi
{
    /// <summary>Room for multipart boundaries and part headers around the largest attachment.</summary>
    private const long EnvelopeBytes = 1L << 20;

    public static RouteGroupBuilder MapAttachmentsApi(this RouteGroupBuilder api)
    {
        var maxBytes = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        api.MapPost("/attachments", Upload)
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + EnvelopeBytes), new OwnIdempotencyMetadata());
        api.MapGet("/attachments/{id}", GetAttachment);
        api.MapGet("/attachments/{id}/content", Download);
        return api;
    }

    /// <summary>
    /// Streams the body (raw, or the first file part of multipart/form-data) into the object store: nothing is held
    /// in memory, the size limit is enforced while streaming, and equal content is stored once. The file name comes
    /// from <paramref name="fileName"/> or the multipart part and is sanitized; the content type is sniffed.
    /// </summary>
    private static async Task<Created<Attachment>> Upload(
        HttpContext context,
        WriteSession session,
        IObjectStore store,
        ThreadStore threads,
        ObservationStore observations,
        IOptions<AttachmentOptions> options,
        string? fileName,
        string? threadId,
        string? observationId,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.UploadAttachment, Resource.System);
        var idempotencyKey = IdempotencyKey(context);
        var owner = await OwnerAsync(me, threads, observations, threadId, observationId, cancellationToken);
        var (stored, partFileName) = await StoreAsync(context.Request, store, options.Value.MaxBytes, cancellationToken);
        var name = SafeFileName.Sanitize(fileName ?? partFileName);

        var attachment = await AttachmentStore.InsertAsync(session, stored, name, me.Id, owner, idempotencyKey, cancellationToken);
        if (attachment is null)
        {
            // The same upload again under the same Idempotency-Key: answer as the first time, write nothing.
            var first = await AttachmentStore.FindByIdempotencyKeyAsync(session, me.Id, idempotencyKey!, cancellationToken);
            await session.RollbackAsync();
            if (first.Sha256 != stored.Sha256 || first.FileName != name || (owner is not null && first.OwnerId != owner.Id))
            {
                throw new CortexException(
                    ProblemKind.IdempotencyKeyReused,
                    "This Idempotency-Key was first used with a different upload; use a new key for a new upload.");
            }

            context.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created($"/api/v1/attachments/{first.Id}", first);
        }

        session.Mutated(
            context,
            "attachment.create",
            new PendingChange(
                EntityNames.Attachment,
                attachment.Id,
                ChangeOperation.Created,
                attachment.Version,
                SubcortexId: attachment.SubcortexId,
                PrincipalId: attachment.SubcortexId is null ? me.Id : null));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/attachments/{attachment.Id}", attachment);
    }

    private static async Task<Ok<Attachment>> GetAttachment(
        HttpContext context, AttachmentStore attachments, string id, CancellationToken cancellationToken)
    {
        var found = await LoadVisibleAsync(attachments, context.Principal(), id, cancellationToken);
        context.Response.Headers.ETag = ETag(found.Attachment);
        return TypedResults.Ok(found.Attachment);
    }

    /// <summary>Streams the content with a safe Content-Disposition, the sha256 as ETag, and byte ranges.</summary>
    private static async Task<FileStreamHttpResult> Download(
        HttpContext context, AttachmentStore attachments, IObjectStore store, string id, CancellationToken cancellationToken)
    {
        var found = await LoadVisibleAsync(attachments, context.Principal(), id, cancellationToken);
        var content = await store.OpenReadAsync(found.ObjectKey, cancellationToken);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(
            content,
            found.Attachment.ContentType,
            found.Attachment.FileName,
            found.Attachment.CreatedAt,
            new EntityTagHeaderValue(ETag(found.Attachment)),
            enableRangeProcessing: true);
    }

    /// <summary>Loads the attachment or 404s; the ACL is its owner's (or, while unlinked, only the uploader's).</summary>
    private static async Task<AttachmentStore.Found> LoadVisibleAsync(
        AttachmentStore attachments, Principal me, string id, CancellationToken cancellationToken)
    {
        var found = await attachments.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The attachment");
        me.Demand(found.Attachment.SubcortexId is null ? CortexAction.ReadPendingAttachment : CortexAction.ReadContent, found.Resource);
        return found;
    }

    private static async Task<AttachmentOwner?> OwnerAsync(
        Principal me,
        ThreadStore threads,
        ObservationStore observations,
        string? threadId,
        string? observationId,
        CancellationToken cancellationToken)
    {
        if (threadId is not null && observationId is not null)
        {
            throw CortexException.Invalid("threadId", "Give a thread or an observation as the owner, not both.");
        }

        if (threadId is not null)
        {
            var (thread, access) = await ThreadsApi.LoadVisibleAsync(threads, me, threadId, cancellationToken);
            me.Demand(CortexAction.UploadAttachment, access.Resource(ResourceKind.Thread, thread.AuthorId));
            return new AttachmentOwner(AttachmentOwner.Thread, thread.Id, thread.SubcortexId);
        }

        if (observationId is not null)
        {
            var (observation, access) = await ObservationsApi.LoadVisibleAsync(observations, me, observationId, cancellationToken);
            me.Demand(CortexAction.UploadAttachment, access.Resource(ResourceKind.Observation, observation.AuthorId));
            return new AttachmentOwner(AttachmentOwner.Observation, observation.Id, observation.SubcortexId);
        }

        return null;
    }

    private static async Task<(StoredObject Stored, string? FileName)> StoreAsync(
        HttpRequest request, IObjectStore store, long maxBytes, CancellationToken cancellationToken)
    {
        var putOptions = new ObjectPutOptions { MaxBytes = maxBytes };
        try
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
                || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return (await store.PutContentAddressedAsync(request.Body, putOptions, cancellationToken), null);
            }

            var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                throw CortexException.Invalid("Content-Type", "A multipart body needs a boundary.");
            }

            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName;
                    return (await store.PutContentAddressedAsync(section.Body, putOptions, cancellationToken), HeaderUtilities.RemoveQuotes(name).Value);
                }
            }

            throw CortexException.Invalid("file", "The multipart body has no file part.");
        }
        catch (ObjectTooLargeException)
        {
            throw new CortexException(ProblemKind.PayloadTooLarge, $"Attachments are limited to {maxBytes} bytes; nothing was stored.");
        }
        catch (InvalidDataException exception)
        {
            throw new CortexException(ProblemKind.MalformedRequest, $"The multipart body could not be read: {exception.Message}");
        }
    }

    private static string? IdempotencyKey(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(IdempotencyMiddleware.HeaderName, out var values))
        {
            return null;
        }

        var key = values.ToString();
        return RequestFingerprint.IsValidKey(key)
            ? key
            : throw CortexException.Invalid(IdempotencyMiddleware.HeaderName, $"Must be 1 to {RequestFingerprint.MaxKeyLength} printable ASCII characters.");
    }

    private static string ETag(Attachment attachment) => "\"" + attachment.Sha256 + "\"";
}
