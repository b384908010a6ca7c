"""Which column holds what: header names from CRM exports mapped to lead fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dialsmile.core.models import PhoneKind
from dialsmile.errors import BadInput

SCALAR_FIELDS = (
    "name",
    "first_name",
    "middle_name",
    "last_name",
    "company",
    "title",
    "email",
    "extension",
    "city",
    "state",
    "country",
    "notes",
)
PHONE_FIELDS = {
    "phone": PhoneKind.DIRECT,
    "direct_phone": PhoneKind.DIRECT,
    "work_phone": PhoneKind.DIRECT,
    "mobile_phone": PhoneKind.MOBILE,
    "mobile": PhoneKind.MOBILE,
    "home_phone": PhoneKind.HOME,
    "company_phone": PhoneKind.COMPANY,
    "other_phone": PhoneKind.OTHER,
}
TARGETS = (*SCALAR_FIELDS, *PHONE_FIELDS, "ignore")


def norm(header: str) -> str:
    """Header text reduced for matching: case, accents kept, punctuation folded."""
    text = header.replace("\ufeff", "").replace("\u00a0", " ").casefold()
    text = re.sub(r"\(do not modify\).*", "", text)
    # Letters of every script stay: "Observações", "会社名" and "Город" are headers too.
    return re.sub(r"[\W_]+", " ", text).strip()


def _table(spec: dict[str, str]) -> dict[str, tuple[str, int]]:
    """'field': 'a|b|c' with rank by position group: primary names first."""
    out: dict[str, tuple[str, int]] = {}
    for fieldname, names in spec.items():
        for rank, group in enumerate(names.split(" || ")):
            for name in group.split("|"):
                out.setdefault(norm(name), (fieldname, rank))
    return out


# Names for each field. Groups separated by " || " rank lower: person-level
# columns first, company-level or home columns as fallbacks.
_SYNONYMS = _table(
    {
        "name": "name|full name|lead name|contact name|contact full name|lead full name"
        "|person name|person - name|primary_contact_name|navn|namn|nimi|fullname|full_name"
        "|display name contact|nom complet|vollständiger name|nome completo|nombre completo"
        "|naam|volledige naam|imię i nazwisko|氏名|фио|имя и фамилия",
        "first_name": "first name|firstname|first_name|given name|first|fornavn|förnamn"
        "|vorname|etunimi|primary_contact_first_name|person - first name|prénom|prenom|nombre"
        "|nome|primeiro nome|voornaam|imię|名|имя",
        "middle_name": "middle name|middlename|middle_name|additional name|mellomnavn|middle",
        "last_name": "last name|lastname|last_name|family name|surname|last|etternavn|efternamn"
        "|nachname|sukunimi|primary_contact_last_name|person - last name|nom|apellido"
        "|apellidos|nom de famille|cognome|sobrenome|último nome|achternaam|nazwisko|姓|фамилия",
        "company": "company|company name|companyname|company_name|associated company"
        "|account name|organization|organisation|organization 1 - name|organization name"
        "|company / account|firma|bedrift|företag|unternehmen|yritys|person - organization"
        "|organization - name|organisation - nom|employer|display_name|account"
        "|company name - cleaned|current company|empresa|nome da empresa|nombre de la empresa"
        "|compañía|companhia|société|entreprise|nom de l'entreprise|raison sociale|azienda"
        "|nome azienda|ragione sociale|società|bedrijf|bedrijfsnaam|organisatie|firmenname"
        "|nazwa firmy|会社名|компания|организация",
        "title": "job title|jobtitle|job_title|title|position|role|designation"
        "|organization 1 - title|stilling|stillingstittel|titel|tittel|befattning"
        "|primary_contact_title|person - job title|jobbtittel|current title|berufsbezeichnung"
        "|cargo|puesto|fonction|intitulé du poste|ruolo|qualifica|functie|functietitel"
        "|stanowisko|役職|должность",
        "email": "email|e-mail|email address|e-mail address|e-mail 1 - value|emails"
        "|work email|email 1|primary email|direct email|primary_contact_primary_email"
        "|person - email - work|e-post|epost|e-postadresse|e-postadress|mail|sähköposti"
        "|e-mail-adresse|email_address|correo|correo electrónico|courriel|adresse e-mail"
        "|endereço de e-mail|indirizzo email|e-mailadres|メールアドレス|электронная почта"
        " || person - email|person - email - other"
        "|personal email|e-mail 2 address|secondary email|additional email addresses",
        "extension": "extension|ext|phone extension|phone ext|main phone extension",
        "city": "city|mailing city|business city|address 1 - city|person city|contact city"
        "|address_1_city|ort|ort geschäftlich|stadt|poststed|postort|by|town|locality|work city"
        "|person - city/town/village/locality of postal address|postitoimipaikka"
        "|billing address city|kommune|cidade|ciudad|localidad|ville|localité|città|citta"
        "|comune|plaats|woonplaats|miasto|市区町村|город"
        " || home city|other city|company city",
        "state": "state|state/region|state/province|state or province|province|region"
        "|mailing state|mailing state/province|business state|address 1 - region|person state"
        "|contact state|contact state abbr|address_1_state|state code|statecode|fylke|län"
        "|bundesland|person - state/county of postal address|billing address state"
        "|region geschäftlich|work state|province/state|province or state|estado|uf"
        "|provincia|província|état/province|état/région|région|regione|provincie|województwo"
        "|都道府県|область || home state|other state|company state",
        "country": "country|country/region|business country/region|mailing country"
        "|mailing country code|address 1 - country|country code|countrycode|land|maa"
        "|address_1_country|person country|contact country|contact country (alpha 2)"
        "|contact country (alpha 3)|cc|country name|address - country / region"
        "|person - country of postal address|billing address country|land/region geschäftlich"
        "|work country|land/region|pays|pays/région|país|pais|país/región|país/região|paese"
        "|paese/regione|nazione|land/regio|kraj|maa/alue"
        " || home country/region|other country/region|company country|land/region privat"
        "|ip country code",
        "notes": "notes|note|description|message|details|comments|comment|person - notes"
        "|person notes|notizen|bemerkungen|anteckning|anteckningar|notater|notat|merknad"
        "|research|research notes|kommentar|kommentarer|huomautukset|remarks|notiz"
        "|anmerkung|anmerkungen|notas|nota|observações|observaciones|observação|comentarios"
        "|commentaire|commentaires|remarques|opmerkingen|notities|uwagi|メモ|备注|заметки"
        "|примечание|комментарий",
    }
)

_PHONE_WORDS = re.compile(
    r"\b(phone|phones|tel|tlf|telephone|telefon|telefonnummer|mobile|mobil|mobiltelefon"
    r"|cell|cellphone|cellular|handy|sms|whatsapp|puhelin|matkapuhelin|téléphone|telephone"
    r"|direct dial|dial|switchboard|sentralbord|växel|number|contact number|landline"
    r"|mobilephone|homephone|otherphone"  # Salesforce Data Loader's API names
    r"|telefoon|telefoonnummer|mobiel|komórka|телефон|мобильный|電話|電話番号|携帯|携帯電話"
    r"|电话|电话号码|手机)\b"
)
# One word that is a phone header on its own: "phone1", "Tel", "Mobilnummer",
# "HomePhone", "Telefonnr", "Mob", "Ph", "GSM", with a qualifier or a number.
_PHONE_WORD = re.compile(
    r"(home|work|mobile|business|office|direct|main|company|private|other|primary|personal"
    r"|fixed|land|cell|contact|haupt|privat|geschäfts)?"
    r"(phone|phones|telephone|telefon|telefone|telefono|teléfono|téléphone|tel|tlf|tlfn|mobile"
    r"|mobil|mob|cell|cellphone|cellular|celular|cellulare|handy|gsm|móvil|movil|portable"
    r"|telefoon|mobiel"
    r"|puhelin|matkapuhelin|landline|ph|ruf)"
    r"(number|numbers|nummer|nr|no|num|nbr|nro)?\d*"
)
_QUALIFIER = re.compile(r"home|work|mobile|business|office|direct|main|company|cell|other")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])|(?<=[A-Za-zÀ-ÿ])(?=\d)")
_KIND_WORDS: list[tuple[PhoneKind, re.Pattern[str]]] = [
    (PhoneKind.MOBILE, re.compile(r"\b(mobile|mobilephone|mobil|mob|mobiltelefon|cell|cellphone|cellular|celular|cellulare|móvil|movil|gsm|handy|sms|matkapuhelin|portable|mobiel|komórka|мобильный|携帯|携帯電話|手机)\b")),
    (PhoneKind.HOME, re.compile(r"\b(home|homephone|privat|private|hjem|hjemme|bostad|residence|personal|domicile)\b")),
    (PhoneKind.COMPANY, re.compile(r"\b(company|corporate|main|hq|headquarters|switchboard|firma|account|organization|organisation|sentralbord|växel|haupttelefon|office main)\b")),
    (PhoneKind.OTHER, re.compile(r"\b(other|otherphone|car|pager|assistant|asst|callback|radio|telex|weiteres|annet|annen|övrig|whatsapp|isdn|tty)\b")),
]  # fmt: skip
# Headers that name a phone by its kind alone (Freshsales' "Work", ZoomInfo-style "HQ").
_PHONE_ALONE = frozenset({"hq", "headquarters", "work", "direct", "direct line", "main line"})
_NUMBERED = re.compile(r"\b([2-9]|10)\b")
_TYPE_WORDS = re.compile(r"\b(type|label|kind)\b")
_NOT_PHONE = re.compile(
    r"\b(fax|status|do not call|donotcall|opt out|verified|valid|validation|country code|count|date|source)\b"
)


@dataclass
class PhoneColumn:
    index: int
    header: str
    kind: PhoneKind
    type_index: int | None = None  # a sibling column naming the kind per row
    why: str = "header"  # "header", "--map", or "most cells are phone numbers"


@dataclass
class ColumnMap:
    """Where each field comes from, in preference order, and what is left over."""

    header: list[str]
    scalars: dict[str, list[int]] = field(default_factory=dict)
    phones: list[PhoneColumn] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    unconsumed: list[int] = field(default_factory=list)  # kept with each lead as they are
    fallbacks: list[tuple[str, list[int]]] = field(default_factory=list)  # fields with 2+ columns

    def describe(self) -> list[str]:
        lines = [
            f"{fieldname} <- " + ", ".join(self.column_name(i) for i in idx)
            for fieldname, idx in self.scalars.items()
        ]
        lines += [
            f"{p.kind.label} phone <- {self.column_name(p.index)} ({p.why})" for p in self.phones
        ]
        return lines

    def column_name(self, index: int) -> str:
        """``'Phone'``, or ``'Phone' in column 3`` when the header repeats that name."""
        name = self.header[index]
        if self.header.count(name) > 1:
            return f"{name!r} in column {index + 1}"
        return repr(name)

    def add_phone(self, index: int, why: str) -> None:
        """Take a column the header did not name as a phone column."""
        self.phones.append(PhoneColumn(index, self.header[index], PhoneKind.DIRECT, why=why))
        self.consumed.add(index)
        self.unconsumed.remove(index)


def classify(header: str) -> tuple[str, int] | None:
    """(field, rank) for a header, or None when it is not a lead field."""
    key = norm(header)
    if not key:
        return None
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    stripped = re.sub(r"^(person|contact|lead|primary contact|primary_contact)\s+", "", key)
    if stripped in _SYNONYMS:
        return _SYNONYMS[stripped]
    if _NOT_PHONE.search(key) or _TYPE_WORDS.search(key):
        return None
    if re.search(r"\b(ext|extn|extension)\b", key):
        return ("extension", 1)
    phone = _phone_words(header)
    if phone:
        return ("phone", int(phone_kind(phone)))
    return None


def _phone_words(header: str) -> str:
    """The header as words when it names a phone ("HomePhone" -> "home phone"), else ""."""
    key = norm(header)
    if _PHONE_WORDS.search(key):
        return key
    if header.strip().endswith("#") and _QUALIFIER.fullmatch(key):
        return f"{key} phone"  # "Home #", "Cell #"
    if key in _PHONE_ALONE:
        return f"{key} phone"  # a phone column named by its kind only: "HQ", "Work"
    words = norm(_CAMEL.sub(" ", header)).split()
    for i, word in enumerate(words):
        match = _PHONE_WORD.fullmatch(word)
        if match:
            words[i] = " ".join(part for part in match.groups() if part)
            return " ".join(words)
    return ""


def phone_kind(text: str) -> PhoneKind:
    """The kind a phone header or a type cell ("* Work", "Mobile") names."""
    key = norm(text)
    for kind, pattern in _KIND_WORDS:
        if pattern.search(key):
            return kind
    if _NUMBERED.search(key):
        return PhoneKind.OTHER
    return PhoneKind.DIRECT


def header_score(row: list[str]) -> int:
    return sum(1 for cell in row if len(cell) < 80 and classify(cell) is not None)


# First-name headers that hold whole names when the file has no surname column: a
# Brazilian sheet's lone "Nome" is "José Araújo", HubSpot's Portuguese "Nome" next to
# "Sobrenome" is "José".
_GIVEN_OR_FULL = frozenset({"nome", "nombre", "имя"})


def build_map(header: list[str], overrides: dict[str, str]) -> ColumnMap:
    """Map a header row to fields; ``overrides`` ({header: field}) come from --map."""
    normalized = [norm(h) for h in header]
    forced: dict[int, str] = {}
    for source, target in overrides.items():
        target_key = target.strip().lower().replace("-", "_").replace(" ", "_")
        if target_key not in TARGETS:
            raise BadInput(
                f"Unknown field {target!r} in --map; valid fields: {', '.join(TARGETS)}."
            )
        matches = [i for i, h in enumerate(normalized) if h == norm(source)]
        if not matches:
            raise BadInput(
                f"No column named {source!r} in the file; its columns are: "
                + ", ".join(repr(h) for h in header)
                + "."
            )
        for i in matches:
            forced[i] = target_key

    cmap = ColumnMap(header=header)
    ranked: dict[str, list[tuple[int, int]]] = {}
    has_job_title = any(classify(h) == ("title", 0) and norm(h) != "title" for h in header)
    for i, h in enumerate(header):
        if i in forced:
            target = forced[i]
            if target == "ignore":
                continue
            if target in PHONE_FIELDS:
                cmap.phones.append(PhoneColumn(i, h, PHONE_FIELDS[target], why="--map"))
            else:
                ranked.setdefault(target, []).append((-1, i))
            continue
        found = classify(h)
        if found is None:
            continue
        fieldname, rank = found
        if fieldname == "title" and normalized[i] == "title" and has_job_title:
            continue  # Outlook/Keap "Title" is the salutation when a job title column exists
        if fieldname == "phone":
            cmap.phones.append(PhoneColumn(i, h, PhoneKind(rank)))
        else:
            ranked.setdefault(fieldname, []).append((rank, i))
    given = ranked.get("first_name", [])
    alone = given and not ranked.keys() & {"name", "last_name"}
    if alone and all(normalized[i] in _GIVEN_OR_FULL for _, i in given):
        ranked["name"] = ranked.pop("first_name")
    for fieldname, items in ranked.items():
        cmap.scalars[fieldname] = [i for _, i in sorted(items)]
    _pair_type_columns(cmap, normalized)
    cmap.consumed = set(i for idx in cmap.scalars.values() for i in idx)
    cmap.consumed |= {p.index for p in cmap.phones}
    cmap.consumed |= {p.type_index for p in cmap.phones if p.type_index is not None}
    cmap.unconsumed = [i for i in range(len(header)) if i not in cmap.consumed]
    cmap.fallbacks = [(name, idx) for name, idx in cmap.scalars.items() if len(idx) > 1]
    return cmap


_SIGNALS = {
    "web": re.compile(r"^(web|website|web site|homepage|home page|url|site|domain|www|webseite|nettside|hemsida|sitio web|site web)$"),
    "county": re.compile(r"^(county|county name|shire|district|region|grafschaft|fylke|län|landkreis|kreis)$"),
    "postcode": re.compile(r"^(post|postal|postcode|post code|postal code|postcode zip|zip|zip code|zipcode|zip postal code|zip/postal code|mailing zip|mailing postal code|postleitzahl|plz|postnummer|postinumero|code postal|cp|código postal|codigo postal|cap)$"),
}  # fmt: skip


def signal_columns(header: list[str], cmap: ColumnMap) -> dict[str, list[int]]:
    """Columns that are no lead field but tell where the file is from: web, county, postcode."""
    found: dict[str, list[int]] = {}
    for i in cmap.unconsumed:
        key = re.sub(
            r"^(mailing|billing|business|address 1|address|home|work|contact)\s+",
            "",
            norm(header[i]),
        )
        for name, pattern in _SIGNALS.items():
            if pattern.match(key):
                found.setdefault(name, []).append(i)
    return found


def _pair_type_columns(cmap: ColumnMap, normalized: list[str]) -> None:
    """Google's "Phone 1 - Type", Keap's "Phone 1 Type", Close's "..._phone_type"."""

    def stem(key: str) -> str:
        key = re.sub(r"\b(type|label|kind|value)\b", " ", key.replace("_", " "))
        return re.sub(r"\s+", " ", key).strip()

    type_columns = {
        stem(key): i
        for i, key in enumerate(normalized)
        if _TYPE_WORDS.search(key.replace("_", " "))
    }
    for phone in cmap.phones:
        i = type_columns.get(stem(normalized[phone.index]))
        if i is not None:
            phone.type_index = i
