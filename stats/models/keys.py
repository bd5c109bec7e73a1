"""The largest key each public address can name. A larger number in an address is no row of
ours and is answered as such before it reaches SQL, where PostgreSQL would refuse it."""

FIGURE_ID_MAX = 2**63 - 1  # figures have BigAutoField ids: PostgreSQL bigint
RELEASE_NUMBER_MAX = 2**31 - 1  # releases are numbered by a PositiveIntegerField: integer
