"""Workspaces (one Slack install each) and the people the app knows in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, WorkspaceScoped


class Workspace(Timestamped, Base):
    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("team_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # Empty string, not NULL, outside Enterprise Grid: NULLs never collide in a unique constraint.
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str | None] = mapped_column(String(255))
    uninstalled_at: Mapped[datetime | None]


class Person(Timestamped, WorkspaceScoped, Base):
    """A Slack user the app has met: an employee, a manager, or both."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slack_user_id"),
        # A manager's reports on every App Home render (bench/scale.py), and the SET NULL when a
        # manager's row is purged.
        Index("ix_person_manager_id", "manager_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    # Their Slack locale ("de-DE"), refreshed like the zone; `language` is what they chose on
    # the App Home, which wins over it. Both as given: views.i18n maps them to a language.
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    # The manager this person last named, prefilled next time.
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # Set the first time the App Home is shown, so the long welcome is shown once.
    welcomed_at: Mapped[datetime | None]
    # The journey modal last opened, so a step saved from a modal pushed over it can show the
    # journey's new state underneath.
    journey_view_id: Mapped[str | None] = mapped_column(String(32))
    # The App Home's hash after our last publish: a publish rendered from older data is refused.
    home_hash: Mapped[str | None] = mapped_column(String(64))
    # Public holidays and the working week (slackapp/kernel/working_days.py): the country and
    # region the person chose on their App Home; NULL country: the one of their Slack zone.
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    holiday_region: Mapped[str | None] = mapped_column(String(16))
    # The weekdays they work, "01234" (0 = Monday); NULL: their country's working week.
    working_week: Mapped[str | None] = mapped_column(String(7))
    # "I'm away until <date>" (the last day away), said in the app; NULL when not away.
    away_until: Mapped[date | None]
    # The private weekly "How are you holding up?" (services/checkins.py): off unless they say.
    checkin_weekly: Mapped[bool] = mapped_column(default=False)
    # Its first week's time: the weekly rhythm runs from it, so a week moved past a holiday
    # does not move the weeks after it.
    checkin_from: Mapped[datetime | None]
    # The trend chart on their App Home (listeners/home_chart.py): a PNG uploaded to Slack,
    # private to the app, for the ratings whose key it has; uploaded again when a new rating
    # changes the key. file_id is NULL when the last upload failed (tried again after a while).
    trend_chart_key: Mapped[str | None] = mapped_column(String(64))
    trend_chart_file_id: Mapped[str | None] = mapped_column(String(32))
    trend_chart_at: Mapped[datetime | None]

    manager: Mapped[Person | None] = relationship(
        remote_side="Person.id", lazy="joined", join_depth=1
    )

    @property
    def reads(self) -> str | None:
        """The locale this person reads the app in: their App Home choice, else Slack's."""
        return self.language or self.slack_locale


class OpenedView(WorkspaceScoped, Base):
    """A modal the app opened for a person, by the id Slack gave it. views.update only ever
    redraws one of these for the person acting: a view id in a payload could be anyone's."""

    __tablename__ = "opened_view"
    __table_args__ = (UniqueConstraint("person_id", "view_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    view_id: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]


class Installation(Timestamped, WorkspaceScoped, Base):
    """The bot token of a workspace that installed the app through OAuth (multi-workspace mode).

    An org-wide install (Enterprise Grid, `is_enterprise_install`) has one row for the whole
    org, on the org's own workspace row (team_id "", enterprise_id set); each of the org's
    workspaces keeps its own workspace row for its people and their data."""

    __tablename__ = "installation"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    # Encrypted with SECONDCHANCE_ENCRYPTION_KEY; never stored in the clear.
    bot_token_encrypted: Mapped[str] = mapped_column(Text)
    # With token rotation on (the app's setting in Slack), the bot token expires (12 hours) and
    # this refresh token, encrypted like it, buys the next one; both NULL otherwise.
    bot_refresh_token_encrypted: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None]
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[datetime]


class OAuthState(Base):
    """A one-time `state` for the OAuth install flow, so a redirect can't be forged."""

    __tablename__ = "oauth_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]


class ExportFile(WorkspaceScoped, Base):
    """A "Download my data" file the app uploaded into a person's DM. Kept so that "Delete my
    data" can delete each one from Slack (files.delete), by the id Slack gave it at upload."""

    __tablename__ = "export_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(32))
    uploaded_at: Mapped[datetime]
