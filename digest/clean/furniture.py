"""Line-level rules that tell page furniture from article text.

Furniture is what a web page wraps around an article: sign-up prompts,
"read more" headers and their link lists, photo captions and credits,
embedded-post residue, comment forms, slogans, author taglines. The rules
look at the shape of a line (length, final punctuation, call-to-action
words, a header followed by a list) rather than at any one site's phrases,
and cover English, French, German and Spanish where it is cheap.

`cleaner.py` combines these per-line verdicts with context (what follows a
"read more" header, what is attached to a furniture line).
"""

from __future__ import annotations

import re

# --- shape of a line ----------------------------------------------------------

CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]\u300d\u300f\uff09"
OPENERS = "\"'\u201c\u2018\u00ab\u2039([\u300c\u300e\uff08"
CLOSE_SET = re.escape(CLOSERS)
OPEN_SET = re.escape(OPENERS)
STOPS = ".!?\u2026\u3002\uff01\uff1f"  # with the ideographic full stop and CJK ! ?
ENDS_SENTENCE = re.compile(rf"[{STOPS}][{CLOSE_SET}\s]*$")
# A sentence ends at . ! ? or an ellipsis (plus closing quotes) before a
# capital letter or an opening quote. Digits are left out on purpose:
# "Sept. 21" is not a sentence end.
SENTENCE_BREAK = re.compile(
    rf"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|vs))"  # not after an initial or a title
    rf"([.!?\u2026][{CLOSE_SET}]*)\s+(?=[{OPEN_SET}]?\s?[A-ZÀ-ÖØ-ÞА-Я])"
)
CJK_BREAK = re.compile(rf"([\u3002\uff01\uff1f][{CLOSE_SET}]*)\s*(?=\S)")  # no spaces in CJK text
# Chinese and Japanese are written without spaces: count characters instead,
# about two to a word.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
BULLET = re.compile(r"^[\u2022\u00b7\u25aa\u25b8\u25ba\u203a\u00bb\u2013\u2014*>+-]\s+")
LEADING_SYMBOLS = re.compile(r"^[^\w\"'\u201c\u2018\u00ab(]+")
WORD = re.compile(r"\w[\w'\u2019.-]*")


def word_count(line: str) -> int:
    cjk = len(CJK.findall(line))
    if not cjk:
        return len(WORD.findall(line))
    return len(WORD.findall(CJK.sub(" ", line))) + (cjk + 1) // 2


def ends_like_sentence(line: str) -> bool:
    return bool(ENDS_SENTENCE.search(line))


def sentences(line: str) -> list[str]:
    """A cheap sentence split, good enough to count and trim sentences."""
    marked = CJK_BREAK.sub("\\1\n", SENTENCE_BREAK.sub("\\1\n", line))
    return [part.strip() for part in marked.split("\n") if part.strip()]


def is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def bare(line: str) -> str:
    """The line without decorative symbols in front, lower-cased."""
    return LEADING_SYMBOLS.sub("", line).lower()


def has_quote(line: str) -> bool:
    return any(mark in line for mark in '"\u201c\u201d\u00ab\u00bb')


# --- sign-up and subscription prompts -----------------------------------------

CTA_START = re.compile(
    r"^(?:sign(?:ing)?[ -]?up|sign[ -]?in|subscribe|register|log[ -]?in|create (?:an|your|a free) account"
    r"|join (?:us|our|now|today)|follow us|download (?:our|the)|get (?:our|the) (?:app|newsletter)"
    r"|click here|tap here|share (?:this|on)|like us on|don['\u2019]t miss"
    r"|inscrivez-vous|abonnez-vous|connectez-vous|suivez-nous|t[ée]l[ée]chargez"
    r"|abonnieren|melden sie sich|folgen sie uns|jetzt (?:abonnieren|anmelden|registrieren|lesen)"
    r"|suscr[ií]bete|reg[ií]strate|s[ií]guenos|desc[aá]rgate|inicia sesi[oó]n)\b"
)
PROMPT_WORDS = re.compile(
    r"\b(?:sign(?:ing)?[ -]?up|subscri(?:be|bers?|ption)|newsletters?|log[ -]?in|sign[ -]?in"
    r"|create an account|never miss|inbox|free trial|(?:unlimited|free|full) (?:free )?access"
    r"|become a (?:member|subscriber)|support (?:our|independent|quality) journalism"
    r"|already (?:a subscriber|have an account)|to continue reading"
    r"|abonnez-vous|abonnement|s['\u2019]abonner|inscrivez-vous|s['\u2019]inscrire|connectez-vous"
    r"|lettre d['\u2019]information"
    r"|anmelden|registrieren|kostenlos testen"
    r"|suscr[ií]b\w+|suscripci[oó]n|bolet[ií]n|reg[ií]strate|reg[ií]strese)\b"
)
# Prompts talk to the reader; news sentences rarely do outside quotes.
ADDRESSEE = re.compile(
    r"\b(?:you|your|our|here|now|today|vous|votre|vos|notre|nos|ici|sie|ihre?|unser\w*|hier|jetzt"
    r"|tu|tus|nuestr[oa]s?|aqu[ií])\b"
)


def is_prompt(line: str, lower: str, words: int) -> bool:
    if words > 40:
        return False
    if CTA_START.match(lower):
        return True
    if not PROMPT_WORDS.search(lower):
        return False
    return words <= 8 or (bool(ADDRESSEE.search(lower)) and not has_quote(line))


# --- "read more" headers and their link lists --------------------------------

READ_MORE = re.compile(
    r"^(?:read (?:more|next|also|this)|read the full (?:story|article)|related(?: (?:posts?|articles?"
    r"|stories|content|coverage|news|topics|reading|links))?|more (?:stories|news|from|on this|articles"
    r"|to read|like this)|see also|also read|you (?:may|might) (?:also )?(?:like|enjoy|be interested)"
    r"|recommended(?: for you| reading| stories)?|most (?:read|popular|viewed)|trending(?: now| stories)?"
    r"|top stories|popular (?:now|stories|posts)|further reading|what to read next"
    r"|lire (?:aussi|également|la suite|plus)|(?:à|a) lire (?:aussi|également)|voir aussi"
    r"|sur le même sujet|les plus lus|weiterlesen|mehr (?:zum thema|lesen|dazu)|lesen sie (?:auch|mehr)"
    r"|auch interessant|das könnte sie (?:auch )?interessieren|meistgelesen|lee (?:también|más)"
    r"|leer más|te puede interesar|más noticias|lo más leído|noticias relacionadas|relacionad[oa]s"
    r"|see more|don['\u2019]t miss|(?:à )?ne (?:pas )?manquer|nicht verpassen|no te pierdas)\b"
)
# "Storm closes road [VIDEO]": a teaser link tagged with what it leads to.
# (A source in brackets, "[Reuters]", is a citation and stays.)
TAGGED_LINK = re.compile(
    r"\[(?:videos?|vid[ée]os?|pictures?|photos?|fotos?|bilder|gallery|galerie|insight|reaction|poll|live"
    r"|analysis|latest|reveal|exclusive|opinion|update|map|listen|watch|audio|podcast)\][\s|]*$",
    re.IGNORECASE,
)
INLINE_MARK = re.compile(r"^\s*[:.|\u2013\u2014\u00bb\u203a>-]")


def read_more_header(line: str, words: int) -> str | None:
    """ "list" for a bare header (a link list follows), "inline" for a header
    that carries its one link ("READ MORE: Some headline"), else None."""
    text = bare(line)
    match = READ_MORE.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    if not re.search(r"\w", rest):
        return "list"
    if INLINE_MARK.match(rest):
        return "inline"
    if words <= 12 and not ends_like_sentence(line):
        return "list"
    return None


def is_link_like(line: str) -> bool:
    """A line of a link list: a bullet, a title without a final full stop."""
    if is_bullet(line):
        return True
    if not ends_like_sentence(line):
        return True
    return line.rstrip(CLOSERS + " ")[-1:] in "?!" and word_count(line) <= 15


# --- comment forms -------------------------------------------------------------

COMMENT_HEADER = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add a comment|comments are closed"
    r"|join the (?:conversation|discussion)|write a comment|laisse[rz] un commentaire"
    r"|ajouter un commentaire|kommentar (?:schreiben|verfassen|hinterlassen)"
    r"|deja (?:un|tu) comentario|escribe un comentario)\b"
    r"|^(?:\d+ )?(?:comments?|commentaires?|kommentare?|comentarios?|coment[aá]rios?)$"
)
COMMENT_LINE = re.compile(
    r"your email address will not be published|required fields are marked|notify me of (?:new|follow-up)"
    r"|save my name, email|be the first to comment|votre adresse (?:e-mail|email|de messagerie) ne sera pas"
    r"|les champs obligatoires|ihre e-mail-adresse wird nicht|tu direcci[oó]n de correo electr[oó]nico no"
    r"|^\d+ (?:comments?|commentaires?|kommentare?|comentarios?)$"
)


def is_comment_header(line: str, words: int) -> bool:
    return words <= 8 and bool(COMMENT_HEADER.match(bare(line)))


# --- embedded posts (tweets, Instagram) ----------------------------------------

# The text of an embedded post is a quotation the article chose to show, as
# is its signature line: both stay. What goes is the widget around it and a
# line that is only a link or a handle.
POST_CHROME = re.compile(
    r"^a post shared by|^view this post on instagram|^view (?:this|the) (?:tweet|post) on"
)
POST_LINK = re.compile(
    r"(?:https?://)?(?:pic\.twitter\.com/\w+|(?:twitter|x)\.com/\w+/status/\d+|instagram\.com/(?:p|reel)/[\w-]+"
    r"|t\.co/\w+)|(?<![\w.])@\w+"
)
# "— Anton Gerashchenko (@Gerashchenko_en) October 7, 2022": the last line of an embedded tweet.
POST_SIGNATURE = re.compile(
    r"^[\u2014\u2013-]?\s*[^()]{1,60}\(@\w{1,30}\)\s*(?:on\s+)?\w+\.?\s+\d{1,2},?\s+\d{4}\s*$"
)


def is_post_signature(line: str) -> bool:
    return "(@" in line and bool(POST_SIGNATURE.match(line))


def is_social(line: str, lower: str, words: int) -> bool:
    if POST_CHROME.match(lower):
        return True
    # A line that is only links and handles: "📹: @CurrentTimeTv pic.twitter.com/AbC"
    if "@" not in lower and "/" not in lower:
        return False  # no handle or link: spare the regular expression
    return bool(POST_LINK.search(lower)) and word_count(POST_LINK.sub(" ", line)) == 0


# --- photo captions and credits -----------------------------------------------

CAPTION_MARK = re.compile(
    r"\((?:pictured|photo|image|picture|credit|foto|photographed|seen here|file (?:photo|image)"
    r"|above|below|left|right|centre|center|top|bottom|inset)\b[^)]*\)"
)
CREDIT_START = re.compile(
    r"^(?:photo(?:graph)?s?|pictures?|images?|illustrations?|video|credits?|sources?|foto|bild|quelle"
    r"|fuente|cr[ée]dits?|cr[ée]dito)\s*(?:credit)?\s*:"
)
CREDIT_BRAND = re.compile(
    r"getty images|shutterstock|istock|alamy|\bap photo\b|\bafp\b|\breuters\b|\bepa\b|\bdpa\b"
    r"|\bsipa\b|wikimedia|unsplash"
)
GLUED_CREDIT = re.compile(
    r"[a-z][.!?](?:Getty Images|Shutterstock|iStock|Alamy|AP|AFP|Reuters|EPA|dpa|Sipa|Wikimedia|Unsplash)"
    r"(?: Photo)?$"
)
READ_FULL = re.compile(r"read (?:the )?full (?:article|story)|continue reading|click here to read")
# BBC-style labels: "Image source, Getty Images", "Image caption, Rescuers at work",
# and the older form without the comma, where a name or a capital follows:
# "Image copyright AFP/Getty Image caption Mr Macron was...".
MEDIA_LABEL = re.compile(r"^(?:image|video|media|audio) (?:source|caption|credit), ")
MEDIA_LABEL_BARE = re.compile(
    r"^(?:Image|Video|Media|Audio) (?:source|caption|credit|copyright) (?=[A-Z0-9])"
    r"|^Media playback is unsupported on your device\b"
)


def is_credit(line: str, lower: str, words: int) -> bool:
    if CAPTION_MARK.search(lower) or (READ_FULL.search(lower) and words <= 10):
        return True
    if (words <= 15 and CREDIT_START.match(lower)) or MEDIA_LABEL.match(lower):
        return True
    if MEDIA_LABEL_BARE.match(line):
        return True
    if GLUED_CREDIT.search(line):
        return True  # "A ferry at the quay.Reuters": a caption with its credit run on
    if ends_like_sentence(line):
        return False
    if words <= 12 and CREDIT_BRAND.search(lower):
        return True
    # "Flooded street | Agency": a short label, then a name. A headline with
    # its site's name after the bar has more words before it.
    # A table row ("| 1 | Kyle Busch | 5040 |") has bars at both ends or several.
    label, bar, _ = line.partition(" | ")
    return bool(bar) and line.count("|") == 1 and words <= 8 and word_count(label) <= 4


# --- slogans, bylines, taglines, adverts ---------------------------------------

SLOGAN = re.compile(
    r"^(?:the )?home of\b|^welcome to\b|\b(?:the|your) (?:daily|weekly|morning|evening|free)"
    r" (?:email|newsletter|briefing|digest|dose)\b|\bthat brings you\b|all rights reserved|^©|©\s*\d{4}"
    r"|^copyright\b|^(?:advertisement|advertising|sponsored(?: content)?|publicité|anzeige|werbung"
    r"|publicidad|skip to (?:main )?content|share this (?:article|story)|share on \w+|follow us on \w+"
    r"|tags?:)|^(?:the )?(?:story|article|text) continues (?:below|after)|^scroll (?:down )?to continue"
)
BYLINE = re.compile(
    r"^(?:by|par|von|por)\s+\S+(?:\s+\S+){0,4}$|^(?:about the author|written by|author:)"
    r"|^(?:published|updated|posted|last updated|publié|mis à jour|veröffentlicht|aktualisiert"
    r"|actualizado|publicado)\b"
)
# "May 3, 2024", "Tuesday 3 May 2024 10:12", "sexta-feira, 22 de outubro de 2010 às 20:13",
# "2024-05-03T10:12" (bare() lower-cases the "T").
DATELINE = re.compile(
    r"^(?:[\w-]+,?\s+)?(?:\w+\.?\s+\d{1,2}|\d{1,2}\.?\s+(?:de\s+)?\w+),?\s+(?:de\s+)?\d{4}\b[^.!?]{0,20}$"
    r"|^\d{4}-\d{2}-\d{2}(?:\b|t\d)"
)


def is_slogan_or_byline(line: str, lower: str, words: int) -> bool:
    if words <= 25 and SLOGAN.search(lower):
        return True
    if ends_like_sentence(line):
        return False
    return words <= 12 and bool(BYLINE.match(lower) or DATELINE.match(lower))


def is_tagline(line: str, words: int) -> bool:
    """An author-bio tagline: several tiny fragments ("Creator. Music evangelist.")."""
    if words > 20:
        return False
    parts = sentences(line.strip(OPENERS + CLOSERS))
    return len(parts) >= 3 and all(word_count(part) <= 3 for part in parts)


# --- feed and syndication footers ----------------------------------------------

# "The post Ferry approved appeared first on The Gazette." (WordPress feeds),
# "This article was originally published on The Conversation."
SYNDICATION = re.compile(
    r"^the post .{3,300} appeared first on |^this (?:article|story|post|piece) (?:was |is )?"
    r"(?:originally |first )?(?:published|appeared|republished)\b"
)


# --- all rules together ---------------------------------------------------------

# Captions and embedded posts are a few lines long; a longer line that
# mentions "(pictured)" or a tweet is a paragraph of the article (or a whole
# article on one line) and must not be thrown away for it.
CAPTION_WORDS = 60


def furniture_kind(line: str, lower: str | None = None, words: int | None = None) -> str | None:
    """What kind of furniture this line is on its own, or None for text
    (`lower` and `words`: bare(line) and word_count(line), if known)."""
    lower = bare(line) if lower is None else lower
    words = word_count(line) if words is None else words
    if is_prompt(line, lower, words):
        return "prompt"
    if read_more_header(line, words) or (words <= 25 and "[" in line and TAGGED_LINK.search(line)):
        return "read-more"
    if is_comment_header(line, words) or (words <= 40 and COMMENT_LINE.search(lower)):
        return "comment-form"
    if words <= CAPTION_WORDS and is_social(line, lower, words):
        return "embedded post"
    if words <= CAPTION_WORDS and is_credit(line, lower, words):
        return "caption"
    if is_slogan_or_byline(line, lower, words):
        return "slogan"
    if is_tagline(line, words):
        return "tagline"
    if words <= CAPTION_WORDS and SYNDICATION.search(lower):
        return "syndication footer"
    return None
