namespace Cortex.SharedModel.Principals;

public enum PrincipalKind
{
    Human,
    Agent,
}
