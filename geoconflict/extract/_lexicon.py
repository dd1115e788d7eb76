"""The words the event frame is read from, English and Russian, as linear-time patterns.

Every pattern here is a set of alternatives or a bounded sequence: no quantified group
holds another unbounded quantifier, so a search costs time proportional to the text
(a pasted base64 image or 100,000 letters of one kind cost what any text of that
length costs). Speakers are not matched by a pattern at all (see ``_speakers``).

The patterns searched in every sentence are written in lower case and run on
:func:`low` (the sentence lower-cased, same length, so positions hold): Python's
case-insensitive matching costs about 2.5 times as much.
"""

from __future__ import annotations

import re


def low(s: str) -> str:
    """``s`` in lower case, character for character (a letter whose lower case is longer stays as it is)."""
    out = s.lower()
    if len(out) == len(s):
        return out
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in s)


# ----------------------------------------------------------------------------- triggers
#: (pattern, event_type, sub_event_type); the first that matches a sentence wins, so the
#: specific weapons come before the generic verbs. ACLED's vocabulary (schema.ACLED_EVENT_TYPES).
EVENT_TYPES: list[tuple[str, str, str]] = [
    (r"suicide (?:bomb(?:er|ers|ing|ings)?|attacks?|car bombs?)", "Explosions/Remote violence", "Suicide bomb"),
    (
        r"roadside bombs?|car bombs?|ieds?|landmines?|(?:land )?mines?\b|explosive devices?|booby[- ]trap",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (
        r"air ?strikes?|air[- ]raids?|drones?|uavs?|warplanes?|(?:fighter )?jets\b|aircraft|helicopter gunships?"
        r"|guided bombs?|glide bombs?|bomb(?:ed|ing|ings)\b|bombard\w*|shaheds?",
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        r"shell(?:s|ed|ing)?\b|artillery|missiles?|rockets?|mortars?|howitzers?|cluster (?:munitions?|bombs?)"
        r"|mlrs|grads?\b|barrages?|ballistic|bombs?\b|projectiles?",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"grenades?", "Explosions/Remote violence", "Grenade"),
    (r"explosions?|blasts?|exploded|detonat\w+", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"abduct\w*|kidnapp\w*", "Violence against civilians", "Abduction/forced disappearance"),
    (
        r"massacre\w*|hacked to death|executed|stabbed|beheaded|gunmen|lynch\w*",
        "Violence against civilians",
        "Attack",
    ),
    (r"recaptur\w+|retook|retaken|regain(?:ed|s)? control", "Battles", "Government regains territory"),
    (
        r"seiz(?:ed|es|ing)|captur(?:ed|es|ing)|took control|overran|overrun",
        "Battles",
        "Non-state actor overtakes territory",
    ),
    (
        r"clash(?:es|ed)?|fighting|fought|firefights?|gunfights?|skirmish(?:es)?|battles?\b|offensive|assault"
        r"|ambush\w*|repell?ed|stormed|raid(?:s|ed)?\b|fired (?:at|on|upon)|opened fire|shot at|gun ?battles?",
        "Battles",
        "Armed clash",
    ),
    (
        r"attack(?:s|ed|ing)?\b|struck|strikes?\b|pounded|hit\b|targeted",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    # Russian: stems, so case and gender endings need no lemmatiser
    (r"авиаудар\w*|беспилотник\w*|дрон\w*|бпла|авиабомб\w*", "Explosions/Remote violence", "Air/drone strike"),
    (
        r"обстрел\w*|ракет\w*|артиллер\w*|снаряд\w*|миномет\w*|миномёт\w*|удар\w*",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"взрыв\w*", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"бо(?:й|и|ев|ях|ями|ям)(?!\w)|столкновени\w*|штурм\w*", "Battles", "Armed clash"),
    (r"атак\w*|поразил\w*", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
]
#: Triggers everyday English also uses ("prices hit a record", "a court battle", "captured
#: the title", "a gas explosion"): they make an event only beside a word of war (:data:`WAR_WORDS`).
WEAK_TRIGGERS = frozenset({1, 5, 6, 8, 9, 10, 11, 15, 16})
#: Words of armed violence that confirm a weak trigger.
WAR_WORDS = re.compile(
    r"(?<!\w)(?:kill(?:ed|ing|s)?|wound(?:ed|ing)?|injur(?:ed|ing|ies)|dead|died|casualties|civilians?|soldiers?"
    r"|troops|forces|army|armies|military|militar(?:y|ies)|militants?|rebels?|fighters|insurgents?|jihadists?|gunmen"
    r"|militias?|paramilitar\w*|shell(?:s|ed|ing)|artillery|missiles?|rockets?|drones?|air ?strikes?|mortars?|war"
    r"|front ?line|front|positions?|checkpoints?|convoys?|tanks|weapons|gunfire|hostilities|occupied|attackers"
    r"|bomb(?:s|ed|ing)?|explosives?|battalion|brigade|units?|base|post|villages?|villagers|raid|ceasefire"
    r"|defen[cs]e|vessels?|ships?|tankers?|crew"
    r"|погиб\w*|ранен\w*|войск\w*|всу|военн\w*|обстрел\w*|боевик\w*|позици\w*|армия|армии)(?!\w)"
)
#: Every trigger in one pattern, a named group each (``t0`` … in the order above): one pass
#: over a sentence finds them all, and the first in that order wins.
ANY_TRIGGER = re.compile("(?<!\\w)(?:" + "|".join(f"(?P<t{k}>{p})" for k, (p, _, _) in enumerate(EVENT_TYPES)) + ")")

#: Sentences about talks, statements and interceptions: a trigger word there ("condemned the
#: raid", "intercepted two drones") reports no strike of its own unless something was hit.
NOT_AN_EVENT = re.compile(
    r"\b(?:intercept\w*|shot down|shoot down|downed|talks|negotiat\w*|met\b|meeting|summit|ceasefire|truce"
    r"|condemn\w*|protest\w*|marched|rall(?:y|ied)|demonstrat\w*|called the (?:attack|strike)|discuss\w*"
    r"|перехват\w*|сбит\w*|сбил\w*|переговор\w*|встреч\w*|перемири\w*|прекращени\w* огня)",
)
#: …unless the same sentence says something was hit, killed or fell.
HIT = re.compile(
    r"\b(?:hit|struck|killed|killing|wounded|injured|landed|fell|damaged|destroyed|exploded)\b"
    r"|погиб\w*|ранен\w*|разрушен\w*|поврежд\w*",
)

# ----------------------------------------------------------------------------- claims and denials
#: A speech verb (English and Russian) that attributes what a sentence reports.
CLAIM_VERB = re.compile(
    r"\b(?:said|says|say|reported|reports|claimed|claims|announced|stated|told|added|alleged|accused|wrote"
    r"|posted|confirmed|confirms|warned|insisted|blamed|cited|saying)\b"
    r"|(?<!\w)(?:заявил\w*|сообщил\w*|сообщает|сообщают|передает|передаёт|утверждает|утверждают|отметил\w*)",
)
#: "according to X", "по данным X", "по словам X": the source follows.
ACCORDING = re.compile(r"\baccording to\b|(?<!\w)(?:по данным|по словам|по информации)(?!\w)")
DENIAL_VERB = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|refut(?:ed|es|ing)|rebuff(?:ed|s)?"
    r"|disputed|contradicted)\b|(?<!\w)(?:опроверг\w*|отрица\w*|отверг\w*)",
)
#: Denials worded without a denial verb.
DENIAL_WORDS = re.compile(
    # "lies" only as the noun ("these are lies"): "the town lies far from the front" is the verb
    r"\b(?:disinformation|propaganda|fake news|not true|untrue|false claims?|fabricat\w+|baseless|groundless"
    r"|(?:are|were|is|all|these|those|such|pure|outright|blatant|spreading|spread|of)\s+lies"
    r"|a lie|no (?:missiles?|rockets?"
    r"|shells?|drones?|strikes?|attacks?) (?:was|were|had been|has been))\b|(?<!\w)(?:фейк\w*|ложь|ложн\w*)",
)
#: Words around a denial verb that make it something else ("declined to comment" is silence).
NOT_A_DENIAL = re.compile(r"\b(?:declined|refused|did not|didn't|would not)\s+(?:to\s+)?(?:comment|respond)")
CONFIRM = re.compile(r"\bconfirm(?:ed|s)\b|(?<!\w)подтверди\w*")

# ----------------------------------------------------------------------------- casualties
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS |= {"hundred": 100, "a": 1, "an": 1, "single": 1}
NUMBER_WORDS |= {
    "один": 1,
    "одна": 1,
    "одного": 1,
    "два": 2,
    "две": 2,
    "двое": 2,
    "двух": 2,
    "три": 3,
    "трое": 3,
    "трех": 3,
    "трёх": 3,
    "четыре": 4,
    "четверо": 4,
    "пять": 5,
    "пятеро": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
}
_NUM = (
    r"\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight"
    r"|nine)|[^\W\d_]+"
)
NUMBER = re.compile(rf"(?<!\w)(?:{_NUM})(?!\w)")
DEATH = re.compile(
    r"\b(?:kill(?:ed|ing|s)|died|dead|deaths?|death toll|hacked to death|shot dead|lost their lives|perished)\b"
    r"|(?<!\w)(?:погиб\w*|убит\w*|убил\w*|жертв\w*)",
)
INJURY = re.compile(
    r"\b(?:wound(?:ed|ing|s)?|injur(?:ed|ing|ies|y)|hurt|maimed)\b|(?<!\w)(?:ранен\w*|ранил\w*|пострадал\w*)",
)
#: Nobody killed or hurt.
NO_CASUALTIES = re.compile(
    r"\bno (?:casualties|deaths|fatalities|injuries|victims|damage|one (?:was|were) (?:killed|hurt|injured|harmed"
    r"|wounded))\b|\bwithout (?:casualties|injuries)\b|\b(?:no one|no-one|nobody|none)\s+(?:was|were|had been|has been)"
    r"\s+(?:killed|hurt|injured|wounded|harmed)\b|\bdid not cause any (?:damage|casualties)\b|\bcaus(?:ed|ing) no"
    r" (?:damage|casualties|injuries)\b|\bcrew (?:were|was) (?:safe|unharmed)\b"
    r"|(?<!\w)(?:пострадавших нет|жертв нет|без жертв|никто не пострадал)",
)
#: Nobody killed (injuries may still be counted).
NO_DEATHS = re.compile(r"(?<!\w)(?:погибших нет|no (?:one|body) (?:was|were) killed)")

# ----------------------------------------------------------------------------- dates
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RU_WEEKDAYS = ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"]
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "января", "январь"),
            ("february", "feb", "февраля", "февраль"),
            ("march", "mar", "марта", "март"),
            ("april", "apr", "апреля", "апрель"),
            ("may", "мая", "май"),
            ("june", "jun", "июня", "июнь"),
            ("july", "jul", "июля", "июль"),
            ("august", "aug", "августа", "август"),
            ("september", "sep", "sept", "сентября", "сентябрь"),
            ("october", "oct", "октября", "октябрь"),
            ("november", "nov", "ноября", "ноябрь"),
            ("december", "dec", "декабря", "декабрь"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_DMY = re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_ALT})\.?(?:\s+(?P<y>\d{{4}}))?(?!\w)")
DATE_MDY = re.compile(
    rf"(?<!\w)(?P<m>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?!\w)"
)
WEEKDAY = re.compile(
    r"(?<!\w)(?:(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|в\s+(?P<ru>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))(?!\w)",
)
#: (pattern, days before the document date, date_precision)
RELATIVE_DATES = [
    (re.compile(r"\b(?:over|at|during) the weekend\b|\bthis weekend\b|(?<!\w)в выходные"), "weekend", "weekend"),
    (re.compile(r"\blast week\b|(?<!\w)на прошлой неделе"), 7, "week"),
    (re.compile(r"\bearlier this week\b|(?<!\w)на этой неделе"), "week", "week"),
    (re.compile(r"\bthe day before\b|\bthe previous day\b|(?<!\w)накануне"), 1, "day"),
    (re.compile(r"\byesterday\b|(?<!\w)вчера"), 1, "day"),
    (re.compile(r"\blast night\b|\bovernight\b|\bthe night\b|(?<!\w)ночью|(?<!\w)этой ночью"), 1, "overnight"),
    (
        re.compile(r"\btoday\b|\bthis (?:morning|afternoon|evening)\b|\btonight\b|\bbefore dawn\b|(?<!\w)сегодня"),
        0,
        "day",
    ),
]
#: Any date word at all (a sentence without one takes the document's date at once).
ANY_DATE = re.compile(
    rf"\d|(?<!\w)(?:{_MONTH_ALT}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week|day|night"
    r"|yesterday|overnight|today|tonight|morning|afternoon|evening|dawn|понедельник|вторник|среду|четверг|пятницу"
    r"|субботу|воскресенье|выходные|недел\w*|накануне|вчера|ночью|сегодня|следующий)(?!\w)",
)
#: "On the same day": the previous event's day.
SAME_DAY = re.compile(r"\b(?:on )?the same day\b|(?<!\w)в тот же день")
#: "A day later", "the next day": the day after the previous event's.
DAY_LATER = re.compile(r"\b(?:a day later|the (?:next|following) day)\b|(?<!\w)на следующий день")
