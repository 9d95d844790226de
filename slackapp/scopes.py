"""The bot scopes the app asks for: exactly what its Web API calls need (manifest.yml agrees)."""

BOT_SCOPES = [
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "users:read",
    "files:write",
    "canvases:write",
]
