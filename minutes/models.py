"""The archive: municipality → committee → meeting → agenda item → decisions, and cases across them.

Natural keys are database constraints. Search text is denormalised onto each agenda item by
ingestion so that the tsvector can be a stored generated column with one GIN index.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse

from .querysets import SEARCH_CONFIG, AgendaItemQuerySet, DocumentSectionQuerySet


def led_by_index(to, **options) -> models.ForeignKey:
    """A foreign key that a unique or composite index of its table leads with (`item` of
    (item, position)): it needs no index of its own, which every row written would pay for and
    no query would use (migration 0019; a test fails on an index that is a prefix of another)."""
    return models.ForeignKey(to, db_index=False, **options)


class Municipality(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommune"
        REGION = "region", "Region"

    code = models.PositiveIntegerField(unique=True, help_text="Kommunekode / regionskode")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MUNICIPALITY)

    class Meta:
        ordering = ["name"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner og regioner"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("minutes:municipality", args=[self.slug])


class Committee(models.Model):
    municipality = led_by_index(Municipality, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "udvalg"
        verbose_name_plural = "udvalg"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="committee_unique_slug"),
            models.UniqueConstraint(fields=["municipality", "name"], name="committee_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("minutes:committee", args=[self.municipality.slug, self.slug])


class SourceFile(models.Model):
    """An original file exactly as published, kept byte for byte."""

    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=20)  # pdf | html | xml | zip | text
    # The reader that read it (minutes.parsing.readers), e.g. "sbsys-xml", "firstagenda-html".
    reader = models.CharField("læser", max_length=40, blank=True)
    # What a person corrected or accepted when it went in (committee, date, kind, accepted):
    # a rebuild with a newer parser applies the same corrections.
    corrections = models.JSONField("rettelser", default=dict, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="source_files"
    )

    class Meta:
        ordering = ["-ingested_at"]
        verbose_name = "kildefil"
        verbose_name_plural = "kildefiler"
        # The admin upload (preview and confirm); superusers have it implicitly.
        permissions = [("upload_minutes", "Kan uploade referater")]

    def __str__(self) -> str:
        return self.file_name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MINUTES = "minutes", "Referat"
        AGENDA = "agenda", "Dagsorden"

    committee = led_by_index(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MINUTES)
    term = models.CharField(max_length=20, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="meetings")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "møde"
        verbose_name_plural = "møder"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date", "kind"], name="meeting_unique_date_kind"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        committee = self.committee
        return reverse(
            "minutes:meeting",
            args=[committee.municipality.slug, committee.slug, self.date.isoformat()],
        )


class SourceVersion(models.Model):
    """Every file that has been the source of a meeting or document, newest last."""

    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="versions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="versions"
    )
    document = models.ForeignKey(
        "Document", null=True, blank=True, on_delete=models.CASCADE, related_name="versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False) ^ models.Q(document__isnull=False),
                name="version_of_meeting_xor_document",
            ),
        ]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Til stede"
        ABSENT = "absent", "Afbud"
        SUBSTITUTE = "substitute", "Stedfortræder"

    meeting = led_by_index(Meeting, on_delete=models.CASCADE, related_name="attendance")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    party = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="attendance_unique_person"),
        ]


class Case(models.Model):
    municipality = led_by_index(Municipality, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(max_length=60, help_text="Sagsnummer som trykt")
    normalised = models.CharField(max_length=60)

    class Meta:
        ordering = ["normalised"]
        verbose_name = "sag"
        verbose_name_plural = "sager"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "normalised"], name="case_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def url_number(self) -> str:
        """Case numbers contain '/', which a URL path segment cannot: 17/10000 → 17-10000."""
        return self.number.replace("/", "-")

    def get_absolute_url(self) -> str:
        return reverse("minutes:case", args=[self.municipality.slug, self.url_number])


def _weighted(field: str, weight: str) -> SearchVector:
    return SearchVector(field, config=SEARCH_CONFIG, weight=weight)


class AgendaItem(models.Model):
    meeting = led_by_index(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    raw_title = models.CharField(max_length=600)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    closed = models.BooleanField(default=False)
    # The page this item was read from when the municipality publishes one page per item (the
    # meeting is the sum of its item pages); null when it came with the whole meeting.
    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    # The item's search text by weight, filled by ingestion (services.contents.search_text).
    # PostgreSQL parses it into the item's search vector once, in its search row
    # (ItemSearch.vector, kept by triggers: minutes/sql/item_search.sql); the item itself
    # stores no vector.
    text_a = models.TextField(blank=True, help_text="Titel, sagsnummer")
    text_b = models.TextField(blank=True, help_text="Indstilling og beslutninger")
    text_c = models.TextField(blank=True, help_text="Resume og sagsfremstilling")
    text_d = models.TextField(blank=True, help_text="Øvrige afsnit, bilag og udvalg")

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = "dagsordenspunkt"
        verbose_name_plural = "dagsordenspunkter"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"Punkt {self.number}: {self.title}"

    @property
    def anchor(self) -> str:
        return f"punkt-{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#{self.anchor}"


class Section(models.Model):
    item = led_by_index(AgendaItem, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="section_unique_position"),
        ]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "Godkendt"
        RECOMMENDED = "recommended", "Anbefalet"
        NOTED = "noted", "Taget til efterretning"
        POSTPONED = "postponed", "Udsat"
        REJECTED = "rejected", "Afvist"
        REFERRED = "referred", "Oversendt"
        OTHER = "other", "Andet"

    item = led_by_index(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    body = models.CharField(max_length=200, help_text="Det besluttende organ")
    date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    this_meeting = models.BooleanField(default=False)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="decision_unique_position"),
        ]
        indexes = [models.Index(fields=["outcome"], name="decision_outcome_idx")]

    @property
    def anchor(self) -> str:
        # Counted from 1 as a reader counts: "#punkt-5-beslutning-1" is the first decision.
        return f"punkt-{self.item.number}-beslutning-{self.position + 1}"


class Vote(models.Model):
    class Position(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Imod"
        ABSTAIN = "abstain", "Undlod at stemme"
        ABSENT = "absent", "Fraværende"

    item = led_by_index(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    position = models.PositiveSmallIntegerField()
    party = models.CharField(max_length=3)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    stance = models.CharField(max_length=8, choices=Position.choices)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="vote_unique_position"),
        ]


class Attachment(models.Model):
    item = led_by_index(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500)
    # An attachment that came inside the meeting's package (SBSYS/Acadre zip): its path in the
    # stored original, which keeps its bytes, and its text (searched with the item, weight D).
    file_name = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="attachment_unique_position"),
        ]


class Document(models.Model):
    """A published document that is not minutes, e.g. budget remarks."""

    municipality = led_by_index(Municipality, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    term = models.CharField(max_length=20, blank=True)
    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="documents")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="document_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("minutes:document", args=[self.municipality.slug, self.slug])


class DocumentSection(models.Model):
    document = led_by_index(Document, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(blank=True)
    search_vector = models.GeneratedField(
        expression=_weighted("heading", "A") + _weighted("text", "C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DocumentSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="docsection_unique_position"
            ),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="docsection_search_vector_idx")]


class UploadAudit(models.Model):
    """Who put which file into the archive, when, and what it did; written even when it failed."""

    class Channel(models.TextChoices):
        ADMIN = "admin", "Admin-upload"
        COMMAND = "command", "Kommandolinje"

    class Outcome(models.TextChoices):
        CREATED = "created", "oprettet"
        UPDATED = "updated", "opdateret"
        UNCHANGED = "unchanged", "uændret"
        HELD = "held", "tilbageholdt"
        FAILED = "failed", "fejlet"

    batch = models.UUIDField("upload", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bruger",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record still names the uploader after the user is deleted.
    username = models.CharField("af", max_length=150, blank=True)
    channel = models.CharField("kanal", max_length=10, choices=Channel.choices)
    file_name = models.CharField(
        "fil", max_length=500, help_text="Filnavn, evt. med zip-filens navn"
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("størrelse (bytes)", null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="kommune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("resultat", max_length=10, choices=Outcome.choices)
    reason = models.TextField("begrundelse eller advarsler", blank=True)
    source = models.ForeignKey(
        SourceFile,
        verbose_name="kildefil",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="møde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        Document,
        verbose_name="dokument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "upload"
        verbose_name_plural = "uploadlog"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_outcome_display()})"


class UploadBatch(models.Model):
    """Files on their way into the archive through the background jobs (`minutes.services.jobs`):
    read for the preview, checked by the admin, then ingested; its pages show the progress.
    Its id is the `batch` of its staged files and of their upload-log rows."""

    class State(models.TextChoices):
        PREVIEWING = "previewing", "læses"
        READY = "ready", "klar til kontrol"
        INGESTING = "ingesting", "indlæses"
        DONE = "done", "færdig"
        FAILED = "failed", "stoppet af en fejl"
        ABANDONED = "abandoned", "opgivet"

    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    channel = models.CharField(max_length=10, choices=UploadAudit.Channel.choices)
    # The municipality chosen for every file (the upload form); each file may correct it.
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWING)
    total = models.PositiveIntegerField(default=0)
    # The last job enqueued for it (django_tasks_db's result id), and why it stopped if it did.
    job_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]


class StagedUpload(models.Model):
    """An uploaded file between upload and ingestion, kept server-side so that the confirmation
    never trusts content posted back by the browser. Deleted in the transaction that ingests
    it (and records it in the upload log), or with its abandoned batch."""

    batch = models.UUIDField()  # staged_unique_position leads with it (see led_by_index)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField()
    file_name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Empty when the file was refused before it was read (too large, broken zip…).
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The admin's corrections (or the command's options) for this file, as ingest_file takes
    # them (minutes.services.staging.decode_choices), and what reading it with them gave.
    choices = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="staged_unique_position"),
        ]


class ItemSearch(models.Model):
    """One narrow row per agenda item for search, kept by database triggers (migration 0004+).

    Counting, facets and date sorting read only this small heap (the full vector lives in
    TOAST), and the three vectors give the ranking tiers: title, title + Indstilling/Beslutning,
    everything. Never written by Python code.
    """

    item = models.OneToOneField(
        AgendaItem,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # ON DELETE CASCADE in the database (migration)
        db_constraint=False,
        related_name="search_row",
    )
    date = models.DateField()
    year = models.SmallIntegerField()
    municipality = led_by_index(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    committee = led_by_index(
        Committee, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    outcomes = ArrayField(models.CharField(max_length=12), default=list)
    closed = models.BooleanField(default=False)
    # 0–1023 from a hash of the item id: rows with sample < 32 are a fixed 1/32 sample that
    # estimates counts and facets when exact ones would read too many rows.
    sample = models.SmallIntegerField()
    title_vector = SearchVectorField()
    lead_vector = SearchVectorField()
    vector = SearchVectorField()

    class Meta:
        managed = True
        indexes = [
            GinIndex(fields=["title_vector"], name="itemsearch_title_idx"),
            GinIndex(fields=["lead_vector"], name="itemsearch_lead_idx"),
            GinIndex(fields=["vector"], name="itemsearch_vector_idx"),
            # The date and the id: the order every newest-first probe and sort reads (with the
            # id, the index gives it whole, so no probe sorts its rows; see search.py).
            models.Index(fields=["date", "item"], name="itemsearch_date_item_idx"),
            models.Index(fields=["municipality", "date"], name="itemsearch_muni_date_idx"),
            models.Index(fields=["committee", "date"], name="itemsearch_committee_date_idx"),
        ]


class ItemSearchSample(models.Model):
    """The fixed hash sample of `ItemSearch` that estimated counts and facets read.

    Created and written by SQL in migration 0004 (its other columns are only read by raw SQL);
    declared here so that Django knows the table, e.g. to empty it together with the items it
    references when a test flushes the database.
    """

    item = models.OneToOneField(
        AgendaItem,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        db_table = "minutes_itemsearchsample"
        managed = True
