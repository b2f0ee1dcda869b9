namespace Cortex.SharedModel.Content;

public enum ThreadKind
{
    Discussion,
    Question,
    Incident,
    Decision,
    Announcement,
}
