"""The exchange gateway (交换网关): the one door through which departments' systems read shared data. It
authenticates the client, checks the grant, selects granted fields and rows, masks by classification, meters,
and audits every call; it also answers verify-only questions (核验) without returning data."""
