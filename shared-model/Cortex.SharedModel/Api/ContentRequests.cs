using Cortex.SharedModel.Content;
using Cortex.SharedModel.Validation;

namespace Cortex.SharedModel.Api;

public sealed record CreateSubcortexRequest(string? Slug, string? Name, string? Description, bool? IsPrivate)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireSlug("slug", Slug);
        errors.RequireLine("name", Name, Rules.NameMaxLength);
        errors.RequireText("description", Description ?? "", Rules.DescriptionMaxLength, allowEmpty: true);
        return errors;
    }
}

public sealed record UpdateSubcortexRequest(string? Name, string? Description, string? State, bool? IsPrivate, long? Version)
{
    public ValidationErrors Validate(out SubcortexState? state)
    {
        var errors = new ValidationErrors();
        if (Name is not null)
        {
            errors.RequireLine("name", Name, Rules.NameMaxLength);
        }

        if (Description is not null)
        {
            errors.RequireText("description", Description, Rules.DescriptionMaxLength, allowEmpty: true);
        }

        state = errors.ParseEnum<SubcortexState>("state", State);
        if (state == SubcortexState.Merged)
        {
            errors.Add("state", "Merging is its own operation.");
        }

        errors.RequireVersion("version", Version);
        return errors;
    }
}

public sealed record CreateThreadRequest(string? Title, string? Body, string? Kind)
{
    public ValidationErrors Validate(out ThreadKind kind)
    {
        var errors = new ValidationErrors();
        errors.RequireLine("title", Title, Rules.TitleMaxLength);
        errors.RequireText("body", Body, Rules.BodyMaxLength);
        kind = errors.ParseEnum<ThreadKind>("kind", Kind) ?? ThreadKind.Discussion;
        return errors;
    }
}

public sealed record UpdateThreadRequest(string? Title, string? Body, string? Kind, long? Version)
{
    public ValidationErrors Validate(out ThreadKind? kind)
    {
        var errors = new ValidationErrors();
        if (Title is not null)
        {
            errors.RequireLine("title", Title, Rules.TitleMaxLength);
        }

        if (Body is not null)
        {
            errors.RequireText("body", Body, Rules.BodyMaxLength);
        }

        kind = errors.ParseEnum<ThreadKind>("kind", Kind);
        errors.RequireVersion("version", Version);
        return errors;
    }
}

public sealed record CreateCommentRequest(string? Body)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireText("body", Body, Rules.CommentMaxLength);
        return errors;
    }
}
