"""Pure rules of the trade: money, permissions, journal balance, hashing. No Qt, no database."""
