namespace Cortex.SharedModel.Principals;

public enum Role
{
    Admin,
    Reviewer,
    Member,
    Agent,
    Reader,
}
