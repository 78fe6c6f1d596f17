"""Furniture that ends like a sentence, told by what it is.

A full stop does not make a line article text: subscription and print-copy
offers, share and feedback prompts, contact lines, comment-policy and error
notices, social-media and image widgets, reporting credits and affiliate
disclosures all read as sentences. Each rule names the kind of thing it
recognises (in English, French, German and Spanish, and Portuguese for the
comment notices that sites paste under every article), so that it holds on
sites never seen.
"""

from __future__ import annotations

import re

from digest.clean.furniture import bare, word_count

MAX_NOTICE_WORDS = 60  # a notice is a line or two; a longer paragraph is the article's

# Each kind of notice has phrases that open the line (tried with `match`) and
# phrases found anywhere in it (`search`): kept apart, because a pattern
# that mixes both is searched at every position for every phrase, and this
# runs on every short line of every article.

# Offers: a price with a period, issues for a price, delivery, access.
OFFER_START = re.compile(
    r"(?:get (?:full |unlimited |digital |instant )?access to\b"
    r"|(?:join|become) (?:a |an )?[\w+-]*\s?(?:member|subscriber|premium|plus)\b)"
)
OFFER = re.compile(
    r"\d+ (?:issues|editions|num[ée]ros|ausgaben|n[uú]meros) (?:for|pour|f[uü]r|por)\b"
    r"|delivered (?:through|to) your (?:letterbox|door|doorstep|inbox)"
    r"|for (?:as little as|only|just) (?:[£$€]|rs\.? ?|usd ?|eur ?)\d|we have a proposition for you"
    r"|pour (?:seulement|[àa] peine) \d|f[uü]r nur \d|por (?:solo|s[oó]lo) \d"
    r"|essai gratuit\b|gratis testen\b|prueba gratuita\b"
)
# Reuse of the page: reprints, print and e-mail buttons, sharing.
PRINT_COPY_START = re.compile(
    r"(?:(?:print|e-?mail|share) (?:this )?(?:article|story|page)|order reprints"
    r"|(?:imprimer|drucken|imprimir) (?:l['\u2019]article|artikel|art[ií]culo)?)$"
)
PRINT_COPY = re.compile(
    r"this copy is for your personal,? non-?commercial use|order (?:reprints|presentation-ready copies)"
    r"|distribution and use of this material (?:is|are) governed|this article has been sent to"
)
FEEDBACK_START = re.compile(
    r"(?:tell us what you think|(?:like|liked|enjoy|enjoyed) this (?:story|article|post)\b"
    r"|have a (?:news |story )?tip\b|if you (?:enjoyed|liked|value|appreciate) (?:this|our)\b"
    r"|what do you think\?|dites-nous ce que vous en pensez|partagez (?:cet article|cette information)"
    r"|(?:teilen sie|sagen sie uns) |was (?:denken|meinen) sie\b"
    r"|(?:comparte|comp[aá]rtelo) |danos tu opini[oó]n|¿qu[eé] opinas\b)"
)
FEEDBACK = re.compile(
    r"share (?:it|this|this story|this article) with (?:a friend|your friends)"
    r"|we(?:['\u2019]d| would) (?:like|love) to hear (?:from you|what you think)"
)
# "Write to Jane Doe at jane@paper.com", "Follow him on Twitter @jdoe."
CONTACT = re.compile(
    r"(?:write|e-?mail|contact|reach) (?:to )?(?:the )?(?:\w+ ){0,3}(?:at|on) \S+@\S+"
    r"|follow (?:[\w'\u2019@]+ ){1,6}on (?:twitter|facebook|instagram|linkedin|youtube|x)\b"
    r"|reach the (?:reporters?|writers?|authors?) (?:at|on)\b|may be reached at\b"
    r"|suivez-(?:nous|le|la) sur\b|folgen sie (?:uns|ihm|ihr) auf\b|s[ií]gue(?:nos|le) en\b"
)
# Notices about the page itself: errors, comment rules, cookies, widgets.
NOTICE_START = re.compile(
    r"(?:an error (?:has )?occurred|something went wrong"
    r"|(?:learn more|en savoir plus|mehr erfahren|m[aá]s informaci[oó]n)$)"
)
NOTICE = re.compile(
    r"please try again later|une erreur (?:s['\u2019]est produite|est survenue)|veuillez r[ée]essayer"
    r"|ein fehler ist aufgetreten|bitte versuchen sie es (?:später|sp[aä]ter) erneut"
    r"|(?:se ha producido|ha ocurrido|ocurri[oó]) un error|int[eé]ntalo (?:de nuevo|m[aá]s tarde)"
    r"|comments? (?:are|is|will be) (?:moderated|reviewed|closed)|comment(?:ing)? (?:policy|guidelines)\b"
    r"|coment[aá]rios? .{0,120}(?:moderador|modera[cç][aã]o|aprovad)"
    r"|n[aã]o ser[aã]o (?:aprovados|publicados)"
    r"|les commentaires (?:sont|seront) mod[ée]r[ée]s|kommentare werden (?:moderiert|gepr[uü]ft)"
    r"|los comentarios (?:est[aá]n|son|ser[aá]n) moderados"
    # Twitter's location widget, in the languages the cleaner knows.
    r"|tweet with a location|add location information to your tweets|delete your tweet location history"
    r"|tweeter avec (?:une|votre) (?:localisation|position)|informations de localisation [àa] vos tweets"
    r"|twittern mit standort|deinen tweets standortinformationen"
    r"|twittear con (?:una )?ubicaci[oó]n|informaci[oó]n de ubicaci[oó]n a tus tweets"
    r"|click (?:on )?(?:the )?(?:image|graphic|photo|picture|map|chart) (?:above|below)? ?"
    r"to (?:view|see|enlarge|expand)"
    r"|(?:click|tap) (?:here )?to (?:enlarge|expand (?:the )?(?:image|graphic))"
    r"|cliquez sur l['\u2019](?:image|infographie)|klicken sie auf (?:das bild|die grafik)"
    r"|haz (?:clic|click) (?:en|sobre) la (?:imagen|gr[aá]fica)"
    r"|your browser does not support|enable javascript"
    r"|this (?:video|content|embed) is (?:not|no longer) available"
    r"|we use cookies|nous utilisons des cookies|wir verwenden cookies|utilizamos cookies"
)
# "Listen: http://...", "More coverage: https://...": a label and the link it stands for.
LABELLED_LINK = re.compile(r"^[^.!?]{1,80}(?::|\bat)\s+(?:https?://|www\.)\S+(?:\s+and\s+https?://\S+)?$")
MAX_LABEL_WORDS = 15
# Who reported, who edited, how long it takes to read, where it is filed.
CREDIT_START = re.compile(
    r"(?:\(?(?:reporting|writing|editing|additional reporting|compiled|research) by\b"
    r"|\(?(?:avec|with|mit|con) (?:afp|ap|reuters|dpa|efe)\)?\.?$"
    r"|(?:reading time|tempo de leitura|temps de lecture|lesezeit|tiempo de lectura)\b"
    r"|\d+ min(?:ute)?s? read$"
    r"|(?:updated|posted|published)(?: at| on)? \d[^a-z]{0,12}(?:[ap]\.?m\.?)?[^a-z]{0,12}$"
    r"|\d{1,2}:\d{2}\s?[ap]\.?m\.?\b.{0,40}\bby\s+\w+"
    r"|filed under\b|(?:categor(?:y|ies|ia|ie)|tags?|schlagw[oö]rter|etiquetas)\s*:)"
)
CREDIT = re.compile(
    r"contributed (?:reporting )?to this (?:report|story|article)\W*$"
    r"|publicado por:|if you buy something through (?:this|our) (?:post|links?)"
    r"|we may (?:earn|receive|get) (?:a )?(?:small )?(?:share|commission)"
    r"|affiliate (?:links?|commission)\b"
)
# A quick first look for each kind: words that every one of its "anywhere"
# phrases contains. Plain words are cheap to look for; only a line that has
# one is searched with the full rule.
OFFER_WORDS = re.compile(
    r"issues|editions|num[ée]ros|ausgaben|n[uú]meros|delivered|as little as|for only|for just|proposition"
    r"|pour seulement|pour [àa] peine|f[uü]r nur|por s[oó]lo|gratuit|gratis|prueba"
)
PRINT_COPY_WORDS = re.compile(r"copy is for|reprints|presentation-ready|distribution and use|has been sent")
FEEDBACK_WORDS = re.compile(r"with a friend|with your friends|to hear")
CONTACT_WORDS = re.compile(r"@|follow|reach|suivez|folgen|s[ií]gue")
NOTICE_WORDS = re.compile(
    r"try again|error|erreur|fehler|ssayer|versuchen|ntalo|comment|coment|kommentare|ser[aã]o|tweet|twitte"
    r"|click|tap |cliquez|klicken|haz cl|browser|javascript|available|cookies"
)
CREDIT_WORDS = re.compile(r"contributed|publicado por|buy something|we may|affiliate")
GATES = (OFFER_WORDS, PRINT_COPY_WORDS, FEEDBACK_WORDS, CONTACT_WORDS, NOTICE_WORDS, CREDIT_WORDS)
ANY_WORDS = re.compile("|".join(gate.pattern for gate in GATES))  # most lines have none: one search
RULES = (
    ("offer", OFFER_START, OFFER_WORDS, OFFER),
    ("print-copy notice", PRINT_COPY_START, PRINT_COPY_WORDS, PRINT_COPY),
    ("feedback prompt", FEEDBACK_START, FEEDBACK_WORDS, FEEDBACK),
    ("contact line", None, CONTACT_WORDS, CONTACT),
    ("notice", NOTICE_START, NOTICE_WORDS, NOTICE),
    ("credit", CREDIT_START, CREDIT_WORDS, CREDIT),
)


def notice_kind(line: str, lower: str | None = None, words: int | None = None) -> str | None:
    """What kind of sentence-like furniture this line is, or None for text
    (`lower` and `words`: bare(line) and word_count(line), if known)."""
    words = word_count(line) if words is None else words
    if words > MAX_NOTICE_WORDS:
        return None
    lower = bare(line) if lower is None else lower
    worded = bool(ANY_WORDS.search(lower))
    for kind, start, words_in, anywhere in RULES:
        if start is not None and start.match(lower):
            return kind
        if worded and words_in.search(lower) and anywhere.search(lower):
            return kind
    if words <= MAX_LABEL_WORDS and LABELLED_LINK.match(lower):
        return "link"
    return None
