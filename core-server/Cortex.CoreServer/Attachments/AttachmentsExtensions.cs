using Cortex.ObjectStore;

namespace Cortex.CoreServer.Attachments;

internal static class AttachmentsExtensions
{
    /// <summary>
    /// The object store (<c>Cortex:ObjectStore</c>) and attachment settings (<c>Cortex:Attachments</c>). Without a
    /// configured root, the file-system store keeps objects in <c>data/objects</c> under the content root.
    /// </summary>
    public static WebApplicationBuilder AddCortexAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var defaultRoot = Path.Combine(builder.Environment.ContentRootPath, "data", "objects");
        builder.Services.PostConfigure<ObjectStoreOptions>(options =>
        {
            if (string.IsNullOrWhiteSpace(options.Root)
                && string.Equals(options.Kind, ObjectStoreOptions.FileSystemKind, StringComparison.OrdinalIgnoreCase))
            {
                options.Root = defaultRoot;
            }
        });
        builder.AddCortexObjectStore();
        builder.Services.AddSingleton<AttachmentStore>();
        return builder;
    }
}
