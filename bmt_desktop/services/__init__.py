"""Operations a person performs; each runs in one transaction, checks permission, audits."""
