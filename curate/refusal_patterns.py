"""The phrase patterns of the `refusal` stage (`curate.stages.refusal`), by language.

Each language's refusal and disclaimer parts are regex fragments; `alternation` joins
them into one case-insensitive regex. The stage's module holds the logic (which turns,
which clause, which tier); this one holds what a refusal looks like, so a language or a
phrasing is added here without touching the logic. `tests/test_refusal.py` has example
sentences for every family, in every language.
"""

from __future__ import annotations

import polars as pl

# --- English ---------------------------------------------------------------------------
_EN_SUBJECT = r"\bI(?:'m| am|'ll| will| must| have to| do|'d| would)?"
_EN_NEG = (
    r"(?:can't|cannot|can not|could not|couldn't|won't|will not|(?:won't|will not) be able to|"
    r"(?:unable|not able|not allowed|not permitted|not programmed|not designed|not going|"
    r"not in a position|not willing|unwilling) to|(?:respectfully |politely |kindly )?(?:decline|refuse) to|"
    r"(?:not |don't )feel comfortable|not comfortable|rather not|prefer not to|refrain from)"
    # "I cannot and will not write ...": a second negated modal joined to the first
    r"(?: (?:and|or) (?:I )?(?:will not|won't|cannot|can't|should not|shouldn't|must not))?"
)
_EN_VERB = (
    r"(?:help|assist|provid|fulfil|comply|creat|writ|generat|produc|answer|engag|support|"
    r"shar|offer|complet|participat|recommend|endors|promot|facilitat|condon|encourag|satisf|"
    r"accommodat|process|continu|discuss|respond|describ|explain|draft|compos|summari[sz]|"
    r"translat|predict|access|brows|disclos|reveal|perform|carry out|proceed|reproduc|draw|"
    r"listen|insert|recall|remember|send|suggest|advis|teach|show|guid|instruct|outlin|detail|"
    r"walk you through|go into|elaborat|bypass|circumvent|get around|hack|crack|break into|"
    r"impersonat|pretend|role-?play|play along|build|design|develop|cod(?:e|ing)|program|"
    r"implement|publish|post|spread|justify|glorif|locat|track|identif|look up|dox|"
    r"mak(?:e|ing) (?:\w+ )?(?:calls?|jokes?|content|that|this|such|an? |any)|do (?:that|this|so|what)|"
    r"tell you (?:which|what|whether|who|how|where|that|the)|"
    r"giv(?:e|ing) (?:you )?(?:that|this|advice|information|instructions|details|specific|an? |"
    r"any|my opinion|personal|insults?))"
)
# A negated modal at the very start of a turn, after at most a greeting or an apology:
# "I can't bypass ...", "Sorry, I won't.", "Hi! I'm afraid I cannot ..." refuses whatever
# verb follows (the idioms in NOT_REFUSAL are removed first).
# A character of an English clause: printable ASCII but . ! ? (a bounded repeat of an
# ASCII class keeps the automaton small; of [^.!?] it grows with all of Unicode)
_CLAUSE = r"[\x20\x22-\x2D\x2F-\x3E\x40-\x7E]"
_EN_OPENER = (
    r"(?:(?:I'm |I am )?(?:so |very |really |truly |terribly )?(?:sorry|afraid)|I apologi[sz]e|"
    r"(?:my )?apologies|unfortunately|regrettably|sadly|hi|hello|hey|no|nope|well|ok(?:ay)?|hmm+|"
    rf"oh|ah|thanks?(?: you)? for {_CLAUSE}{{0,60}}?|I (?:understand|appreciate|hear){_CLAUSE}{{0,80}}?)"
    r"(?:,? but)?\s?[,.!:;\u2014\u2013-]?\s+(?:but |however,? |that said,? )?"
)
_EN_INITIAL_NEG = (
    r"(?:can't|cannot|can not|(?:won't|will not) be able to|(?:unable|not able|"
    r"not going|not in a position) to|refuse to|must decline|(?:don't|do not) feel comfortable|"
    r"not comfortable|(?:would|'d) rather not|(?:would|'d) prefer not to)"
)
# What an assistant cannot do for want of senses, tools or memory: capability disclaimers
# ("I can't see images", "I'm unable to make phone calls"), soft when help follows.
_EN_CAPABILITY = (
    r"(?:images?|pictures?|photos?|photographs?|screenshots?|attachments?|videos?|audio|"
    r"recordings?|(?:your|the) screen|(?:your|the) (?:device|phone|computer|calendar|camera|"
    r"contacts|inbox|desktop|files?|documents?)|links?|urls?|websites?|web ?pages?|the (?:internet|web)|"
    r"online|real[- ]time|live (?:data|prices?|information|updates|feeds?|scores?)|"
    r"current (?:data|prices?|weather|events|news|information|stock|rates?|time)|up-to-date|"
    r"reminders?|alarms?|timers?|(?:phone )?calls?|bookings?|reservations?|appointments?|"
    r"purchases?|payments?|past conversations?|previous (?:conversations?|chats?|sessions?)|"
    r"memor(?:y|ies)|the future)"
)
_EN_CAPABILITY_VERB = (
    r"(?:see|view|look at|watch|hear|listen to|open|read|play|access|browse|visit|click|check|"
    r"set|schedule|make|place|book|reserve|order|purchase|buy|pay|send|call|remember|recall|"
    r"retain|store|save|download|upload|install|run|execute|search|look up|retrieve|fetch|get|"
    r"obtain|receive|display|interact with|connect to|control|monitor|predict)"
)
# Professionals an assistant is not: "I'm not a doctor/lawyer/vet, so ..."
_EN_PROFESSION = (
    r"(?:doctor|physician|lawyer|attorney|vet|veterinarian|therapist|psychologist|psychiatrist|"
    r"counsel(?:l)?or|nurse|pharmacist|dietitian|nutritionist|accountant|dentist|"
    r"(?:tax|financial|investment|legal|medical) (?:professional|advisor|adviser|planner|expert)|"
    r"(?:medical|healthcare|health care|mental health|legal) (?:professional|provider|expert)|"
    r"licensed|certified)"
)
_RULES = ["guidelines", "programming", "policy", "policies", "rules", "instructions"]
_FORBID = ["don't", "do not", "won't", "will not", "doesn't", "does not", "prevent", "prohibit",
           "forbid", "restrict"]  # fmt: skip
_NOT_A = ["something", "a request", "a task", "a topic", "a thing", "a question", "anything",
          "what", "one", "an area"]  # fmt: skip
_EN = [
    rf"{_EN_SUBJECT} (?:\w+ )?{_EN_NEG} (?:\w+ ){{0,3}}?{_EN_VERB}\w*",
    rf"^(?:{_EN_OPENER}){{0,2}}I(?:'m| am|'d| would)? (?:\w+ )?(?:{_EN_INITIAL_NEG} \w+|"
    r"(?:can't|cannot|won't|will not)\s*[.!])",
    # no subject ("Nope, can't help with that one."), or a present-tense decline ("No. I
    # don't write malware.") at the very start
    rf"^(?:{_EN_OPENER}){{0,2}}(?:(?:can't|cannot|won't) (?:help|assist|do|write|make|create|"
    r"give|share|provide|go)|I (?:don't|do not) (?:write|create|make|generate|produce|provide|"
    r"share|give out|help with|do (?:that|this|those|these))\b)",
    rf"\b(?:unable|not able) to {_EN_VERB}\w* (?:with )?(?:this|that|your|such)\b",
    r"\bI(?: must| have to| need to|'ll have to| will have to|'m going to have to| am going to have "
    r"to|'d have to| would have to)? (?:respectfully |politely |kindly |regretfully )?"
    r"(?:decline|refuse|pass on (?:this|that))\b",
    rf"\bmy (?:\w+ )?(?:{'|'.join(_RULES)}) (?:{'|'.join(_FORBID)})\b",
    r"\b(?:violates?|against|breach(?:es)?) (?:\w+ ){0,2}?(?:usage|content|use|safety) polic(?:y|ies)\b",
    # "That's not something I can help with", "This isn't a request I'm able to fulfil"
    # whatever the subject: "Creating fake papers isn't something I'll do"
    r"(?:'s not|\bis not|\bisn't|'s really not|\bis really not|\bwould not be|\bwouldn't be)"
    rf"(?: really| just| simply)? (?:{'|'.join(_NOT_A)}) (?:that )?"
    r"I(?:'m| am|'d| would|'ll| will)? "
    r"(?:\w+ )?(?:can|could|will|able|going|comfortable|willing|allowed|permitted|in a position|"
    r"prepared|do|help with|write|make|create|provide)\b",
    r"\b(?:beyond|outside(?: of)?|outside the scope of) what I(?:'m| am)? (?:can|could|able to|"
    r"allowed to|permitted to)\b",
    # "It wouldn't be appropriate for me to", "It would be unethical for me to"
    r"\b(?:it|that)(?:'s not| is not| isn't| wouldn't be| would not be|'d not be) (?:\w+ )?"
    r"(?:appropriate|ethical|responsible|right|okay|ok|safe|possible) (?:\w+ )?for me to\b",
    r"\b(?:it|that)(?:'s| is| would be|'d be) (?:\w+ )?(?:inappropriate|unethical|irresponsible|"
    r"wrong) (?:\w+ )?for me to\b",
    rf"\bI (?:don't|do not) think (?:I (?:can|could|should) (?:\w+ ){{0,2}}?{_EN_VERB}|"
    r"it(?:'s| is|'d be| would be) (?:appropriate|right|ethical|responsible) (?:for me )?to)",
    r"\b(?:not (?:within|in line with)|against|violates?|goes against|outside(?: of)?) my "
    r"(?:programming|(?:ethical )?guidelines|polic(?:y|ies)|principles|capabilities|"
    r"content polic(?:y|ies)|purpose)\b",
    r"\bI(?:'m| am) (?:just |only )?an AI(?: language model| assistant)?,? (?:and )?"
    r"(?:it(?:'s| is) not|I (?:can't|cannot|don't|do not|am not))",
    r"\bAs an? (?:AI|artificial intelligence|(?:AI |large )?language model|AI assistant|"
    rf"responsible[^,.]{{0,50}}(?:AI|assistant|model))[^,.]{{0,40}},? {_EN_SUBJECT} (?:\w+ ){{0,3}}?{_EN_NEG}",
]
_EN_DISCLAIMER = [
    r"\bAs an? (?:AI|artificial intelligence|(?:AI |large )?language model|AI assistant|"
    r"digital assistant|virtual assistant|chatbot|machine)[^,.]{0,40},? I (?:don't|do not|"
    r"lack|have no|am not|'m not)",
    r"\bI(?:'m| am) (?:just |only |merely |not a human,? but )?(?:an? )?(?:AI|artificial "
    r"intelligence|(?:AI |large )?language model|computer program|chatbot|virtual assistant)\b",
    r"\bI (?:don't|do not) have (?:any )?(?:personal|real-time|the ability|the capability|a way|"
    r"access|memory|memories|feelings|emotions|opinions|beliefs|preferences|a body|"
    r"consciousness|a (?:family|childhood|favorite))",
    r"\bI have no (?:access|way|ability|memory|memories|feelings|emotions|personal|real-time)\b",
    r"\bI (?:don't|do not) (?:take|pick|choose) (?:personal |political )?(?:sides|a side|positions|"
    r"a position|stances|a stance)\b",
    r"\bI (?:don't|do not|can't|cannot) (?:browse|access|search) the (?:internet|web)\b",
    r"\bmy (?:knowledge|training(?: data)?) (?:cutoff|cut-off|only goes|is limited|ends)\b",
    rf"\bI(?:'m| am) not an? (?:\w+ ){{0,2}}?{_EN_PROFESSION}\b",
    rf"{_EN_SUBJECT} (?:\w+ )?{_EN_NEG} (?:directly |actually |physically |currently |personally )?"
    rf"{_EN_CAPABILITY_VERB} (?:\w+ ){{0,3}}?{_EN_CAPABILITY}\b",
    rf"{_EN_SUBJECT} (?:\w+ )?{_EN_NEG} (?:provide|give|share|tell|offer) (?:you )?(?:\w+ )?"
    r"(?:real[- ]time|live|current|up-to-date|the latest)\b",
    rf"{_EN_SUBJECT} (?:\w+ )?{_EN_NEG} (?:\w+ ){{0,2}}?(?:diagnos|prescrib|(?:professional |"
    r"personali[sz]ed |specific |individual |individualized )?(?:medical|legal|financial|tax|"
    r"investment|psychological|mental health) advice|a (?:medical )?diagnosis|"
    r"(?:an? |the )?(?:\w+ )?(?:dose|dosage|dosing)\b)",
]
# A deferral to a professional in the refusal's sentence ("I can't give you a dose;
# dosing should come from her prescriber"): the refusal is a disclaimer, partial when help
# follows, as "I'm not a doctor" is
_EN_REFERRAL = (
    r"\b(?:should|must|needs? to|has to|have to|is best) (?:\w+ )?(?:come from|be (?:decided|"
    r"determined|set|prescribed|confirmed|checked|answered|assessed|handled|made) by|"
    r"(?:be )?discussed with|left to) (?:a |an |your |her |his |their |the )?(?:\w+ ){0,2}?"
    rf"(?:{_EN_PROFESSION}|prescriber|pediatrician|paediatrician|GP|specialist|professional)\b"
)
# "As an AI, I cannot ...": an identity disclaimer, and a refusal when what follows is a
# task ("As an AI language model, I cannot provide instructions ..."): such a refusal is
# partial (soft) only with a help pivot, as any other
_AI_CANNOT = (
    r"\bAs an? (?:AI|artificial intelligence|(?:AI |large )?language model|AI assistant|"
    r"digital assistant|virtual assistant|chatbot|machine)[^,.]{0,40},? I (?:\w+ )?(?:cannot|"
    r"can't|am unable|'m unable|am not able|'m not able)"
)
_EN_PIVOT = (
    r"\b(?:however|but|that said|that being said|nevertheless|nonetheless|instead|although|though|"
    r"still)\b,?\s+(?:here|I can|I could|I'll|I will|I'd|I would|what I can|you can|you could|"
    r"let me|there are|many|some|in general|generally|if you)|"
    r"\bwhat I can (?:do|tell you|say|suggest|offer|share)\b|"
    r"\bhere(?: is|'s| are) (?:a |an |some |the |what |how )|"
    r"\bgenerally(?: speaking)?,|\bin general,|\b(?:as for|regarding|for) (?:the|your) (?:rest|trip|"
    r"other|first|second|remaining|original)\b|:\s*\n\s*(?:\d+[.)]|[-*•])"
)

# --- Spanish, French, German, Chinese ---------------------------------------------------
_ES_OPENER = (
    r"(?:lo siento(?: mucho)?|lamentablemente|desafortunadamente|disculpa|disculpe|perdona|"
    r"perdone|perdón|lo lamento|me temo que|hola|no)(?:,? pero)?\s?[,.!:;\u2014\u2013-]?\s+(?:pero )?"
)
# Object pronouns between "no" and the modal: "no te puedo ayudar", "eso no lo puedo hacer",
# "no se lo voy a dar" (Spanish puts clitics before a conjugated verb)
_ES_CLITIC = r"(?:(?:me|te|le|les|se|lo|la|los|las|nos|os) ){0,2}"
# Task verbs by stem, so enclitic forms count too ("explicártelo", "escribirlo", "hacerlo")
_ES_VERB = (
    r"(?:ayud|proporcion|cumpl|cre[aá]r|escrib|gener|respond|d[aá]r|ofrec|hac|realiz|facilit|"
    r"brind|asist|particip|apoy|dec[ií]r|cont[aá]r|explic|recomend|compart|enseñ|mostr|redact|"
    r"elabor|desarroll|program|diseñ|produc|fabric|hacke|revel|continu|colabor|prepar|"
    r"falsific|suplant|localiz|rastre|echar(?:te|le|les|os)? una mano)\w*"
)
_ES_NEG = (
    rf"(?:no {_ES_CLITIC}(?:puedo|podré|podría|voy a)|no me es posible|"
    r"no estoy en condiciones de|me niego a)"
)
_ES = [
    rf"\b{_ES_NEG} (?:\w+ ){{0,2}}?{_ES_VERB}",
    # at the start of a turn, whatever verb follows; an object may come first ("Eso no ...")
    rf"^(?:{_ES_OPENER}){{0,2}}(?:(?:eso|esto|es[oa]s? \w+|est[oa]s? \w+) )?(?:no {_ES_CLITIC}"
    r"(?:puedo|podré|voy a)|me niego a) \w+",
    # "Lamento no poder ayudarte", "me resulta imposible", "debo rechazar", "no lo haré"
    r"\b(?:lamento|siento|me apena|me temo que) no poder\b|\bme (?:es|resulta|sería) imposible\b|"
    # "No es posible que te ayude con eso", "no me sería posible escribirlo"
    rf"\bno (?:me )?(?:es|sería|resulta) posible (?:que (?:yo )?{_ES_CLITIC})?{_ES_VERB}|"
    r"\b(?:debo|tengo que|me veo obligad[oa] a|he de) (?:\w+ )?(?:rechazar|declinar|negarme)\b|"
    rf"\bno {_ES_CLITIC}(?:haré|escribiré|crearé|redactaré|ayudaré|proporcionaré|daré|"
    r"generaré|participaré|colaboraré|facilitaré|explicaré)\b",
    # "No es algo (en lo) que pueda hacer", "no es una petición con la que pueda ayudarte"
    r"\bno es (?:algo|una petición|una solicitud|un tema|una tarea|una cosa)\b[^.!?\n]{0,20}?"
    r"\bque (?:yo )?(?:pueda|puedo|podría|vaya a|voy a|deba|me sienta)\b|"
    r"\b(?:va|iría|está) en contra de mis (?:directrices|principios|políticas|normas)\b|"
    r"\b(?:viola|infringe) mis (?:directrices|principios|políticas|normas)\b",
    r"\bno me siento cómod[oa]|\bno (?:es|sería|me parece) (?:apropiado|ético|correcto|"
    rf"responsable|adecuado) (?:que (?:yo )?|(?:de|por) mi parte|para mí|{_ES_VERB})|"
    r"\bno estoy (?:autorizad[oa]|programad[oa]) para\b|\b(?:prefiero|preferiría) no\b|"
    r"\bno estoy dispuest[oa] a\b|^(?:lo siento|perdona|perdón|disculpa)[,.]? no puedo\s*[.!]|"
    # an idiom or a present-tense decline at the very start: "Ni hablar", "No escribo reseñas falsas"
    rf"^(?:{_ES_OPENER}){{0,2}}(?:ni hablar|de ninguna manera|ni de broma|ni pensarlo)\b|"
    rf"^(?:{_ES_OPENER}){{0,2}}no {_ES_CLITIC}(?:escribo|hago|creo|redacto|comparto|doy|busco|"
    r"ayudo|facilito|desarrollo|programo|genero|proporciono|participo)\b",
    r"\bcomo (?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje|asistente de IA)"
    r"[^,.]{0,40}, no (?:puedo|debo|voy a)",
]
_ES_DISCLAIMER = [
    r"\bcomo (?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje|asistente de IA)"
    r"[^,.]{0,40}, no tengo|\bcomo (?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje)"
    r" no (?:\w+ )?(?:tengo|como|siento|puedo)\b",
    r"\bsoy (?:solo |sólo )?(?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje)\b",
    r"\bno soy (?:un |una )?(?:médic[oa]|doctor|doctora|abogad[oa]|veterinari[oa]|psicólog[oa]|"
    r"terapeuta|farmacéutic[oa]|nutricionista|enfermer[oa]|asesor[a]? (?:financier[oa]|legal|"
    r"fiscal)|dermatólog[oa]|pediatra|dentista|especialista|profesional (?:de la salud|"
    r"sanitari[oa]|médic[oa])|(?:abogad[oa]|experto|experta) \w+|contador[a]?|gestor[a]?)\b",
    r"\bno tengo (?:acceso|la capacidad|capacidad|memoria|recuerdos|emociones|sentimientos|"
    r"opiniones|preferencias|gustos|cuerpo|información en tiempo real|datos en tiempo real)\b",
    r"\bno (?:puedo|soy capaz de|tengo forma de) (?:\w+ )?(?:ver|acceder|navegar|abrir|escuchar|"
    r"recordar|reservar|enviar|consultar|predecir|diagnosticar|recetar|llamar|comprar|"
    r"hacer (?:llamadas|reservas|compras)|realizar (?:llamadas|reservas|compras)|"
    r"programar (?:recordatorios|alarmas))\b",
    r"\bmis? (?:conocimientos?|datos de entrenamiento) (?:llegan? hasta|tienen? (?:una )?fecha de corte)",
    # advice a professional gives: "No puedo darte un diagnóstico", "no te puedo recetar"
    rf"\bno {_ES_CLITIC}(?:puedo|debo|podría) (?:\w+ ){{0,2}}?(?:diagn[oó]stic\w*|"
    r"(?:asesoramiento|consejo|asesoría|recomendaci[oó]n|opini[oó]n)(?:es|s)? (?:médic|legal|"
    r"jurídic|financier|profesional|personalizad|fiscal|de inversi)\w*|dosis\b|recet\w*|"
    r"prescri\w*)",
]
_FR_OPENER = (
    r"(?:(?:je suis )?désolée?|malheureusement|hélas|je regrette|pardon|excusez-moi|"
    r"je suis navrée?|bonjour|salut|non)(?:,? mais)?\s?[,.!:;\u2014\u2013-]?\s+(?:mais )?"
)
# Object pronouns before the verb: "je ne peux pas te l'écrire", "je ne le ferai pas"
_FR_CLITIC = r"(?:(?:vous|te|le|la|les|lui|leur|me|nous|en|y) |[tlm]')*"
_FR = [
    r"\bje ne (?:peux|pourrai|pourrais|vais|suis)(?: malheureusement| hélas| absolument)? pas"
    rf"(?: en mesure d(?:e |'))?(?: pouvoir)?\s*{_FR_CLITIC}"
    r"(?:aider|fournir|répondre|créer|écrire|générer|donner|satisfaire|rédiger|assister|"
    r"proposer|accéder|produire|faire|traiter|participer|expliquer|dire|montrer|partager|"
    r"recommander|conseiller|effectuer|réaliser|fabriquer|contourner|pirater|continuer|"
    r"cautionner|encourager|promouvoir|transmettre|communiquer|inventer|concevoir|développer|"
    r"programmer|coder|divulguer|révéler|publier|diffuser|usurper|falsifier|retrouver|localiser)",
    rf"^(?:{_FR_OPENER}){{0,2}}je ne (?:peux|pourrai|vais)(?: malheureusement| hélas)? pas"
    r"(?:\s+\w+|\s*[.!])",
    rf"^(?:{_FR_OPENER}){{0,2}}(?:hors de question|pas question|certainement pas)\b",
    rf"\bje ne {_FR_CLITIC}(?:développe|communique|recherche|fournis|écris|rédige|crée|"
    r"divulgue|transmets|génère|produis|participe|code|programme|partage|aide) pas\b",
    # "je refuse d'écrire", "il m'est impossible de", "je regrette de ne pas pouvoir",
    # "je dois décliner", "je ne le ferai pas", "je ne saurais vous aider"
    r"\bje (?:me )?refuse (?:de\b|d'|catégoriquement|absolument|fermement)|\bje refuse\s*[.!]|"
    r"\bil (?:m'est|me serait|m'est malheureusement) impossible\b|"
    r"\bje suis dans l'impossibilité\b|\bde ne (?:pas )?pouvoir (?:vous |t'|te )?aider\b|"
    r"\bje (?:dois|vais devoir|me vois (?:contrainte?|obligée?) de) (?:\w+ )?(?:refuser|décliner)\b|"
    rf"\bje ne {_FR_CLITIC}(?:aiderai|écrirai|rédigerai|ferai|fournirai|donnerai|créerai|"
    r"participerai|produirai|générerai|expliquerai|contribuerai) pas\b|"
    r"\bje ne (?:saurais|puis) (?:vous |t'|te )?(?:aider|répondre|accéder|fournir|écrire|rédiger)",
    # "Ce n'est pas quelque chose que je peux faire", "pas possible pour moi", guidelines
    r"\bce n'est pas (?:quelque chose|une demande|un sujet|une chose|une tâche)\b[^.!?\n]{0,25}?"
    r"\b(?:que je|auquel je|à laquelle je|sur lequel je|pour lequel je|avec lequel je|où je) "
    r"(?:\w+ )?(?:peux|puisse|pourrais|vais|suis|me sens|souhaite)\b|"
    r"\bpas (?:possible|envisageable) pour moi\b|"
    r"\b(?:va|irait) à l'encontre de (?:mes|mon|ma) (?:principes|directives|règles|politique|"
    r"lignes directrices)|\bcontraire à (?:mes|ma) (?:principes|directives|règles|politique)",
    r"\bje ne me sens pas à l'aise|\bil ne m'est pas possible de\b|\bm'est (?:\w+ ){0,2}?impossible\b|"
    r"\bje ne suis pas (?:\w+ )?disposée? à\b|\bje (?:préfère|préférerais) ne pas\b",
    r"\ben tant qu(?:e |')(?:IA|intelligence artificielle|modèle de langage|assistant)"
    r"[^,.]{0,40}, je (?:ne |n')(?:peux|suis|vais|dois)",
]
_FR_DISCLAIMER = [
    r"\ben tant qu(?:e |')(?:IA|intelligence artificielle|modèle de langage|assistant)"
    r"[^,.]{0,40}, je n'ai pas",
    r"\bje suis (?:seulement |juste )?(?:une |un )?(?:IA|intelligence artificielle|modèle de langage)\b",
    r"\bje ne suis pas (?:un |une )?(?:médecin|docteur|avocate?|vétérinaire|psychologue|"
    r"thérapeute|pharmacienne?|infirmière?|conseill(?:er|ère) (?:financi(?:er|ère)|juridique)|"
    r"juriste|dermatologue|pédiatre|dentiste|spécialiste|expert-comptable|fiscaliste|"
    r"professionnel(?:le)? de (?:la )?santé|professionnel(?:le)? du droit|"
    r"notaire|comptable)\b",
    r"\bje n'ai (?:pas|aucun|aucune) (?:d'|de |la |l')?\s*(?:accès|capacité|possibilité|mémoire|"
    r"souvenirs?|émotions?|sentiments?|opinions?|préférences?|corps|goûts?|informations? en temps réel)",
    r"\bmes connaissances (?:s'arrêtent|se limitent|datent)\b",
    r"\bje ne (?:peux|suis) pas (?:en mesure d(?:e |'))?\s*(?:\w+ )?(?:voir|accéder|naviguer|"
    r"ouvrir|écouter|me souvenir|mémoriser|réserver|consulter|prédire|diagnostiquer|prescrire|"
    r"appeler|téléphoner|acheter|envoyer|poser (?:de |un )?diagnostic|"
    r"(?:effectuer|faire|passer) (?:de |des )?(?:réservations?|appels?|achats?))",
    # advice a professional gives: "je ne peux pas te donner un avis juridique"
    r"\bje ne (?:peux|pourrai|pourrais|suis) pas (?:en mesure d(?:e |'))?\s*(?:vous |te |t')?"
    r"(?:donner|fournir|formuler|établir|poser|émettre|remplacer|faire)\s+(?:\w+ |\w+'){0,2}?"
    r"(?:avis (?:juridique|médical|professionnel)|conseils? (?:juridiques?|médica(?:l|ux)|"
    r"financiers?|fisca(?:l|ux)|personnalisés?|d'investissement|en (?:investissement|placement))|"
    r"diagnostic|consultation|ordonnance|posologie|dose|dosage|prescription)",
]
_DE_VERB = (
    r"(?:(?:weiter|mit)?helfen|bereitstellen|erstellen|schreiben|generieren|geben|liefern|"
    r"beantworten|erfüllen|unterstützen|anbieten|nachkommen|verfassen|erteilen|teilen|tun|machen|"
    r"sagen|nennen|erklären|zeigen|empfehlen|beschreiben|übernehmen|anfertigen|programmieren|"
    r"entwickeln|verraten|ausführen|durchführen|weitergeben|mitmachen|umgehen|knacken|"
    r"fortsetzen|zur Verfügung stellen|eingehen|bearbeiten|formulieren|erzeugen|ausarbeiten|"
    r"entwerfen|fälschen|verbreiten|veröffentlichen|ausfindig machen|beibringen|anleiten|"
    r"mitwirken|beteiligen)"
)
# A full verb in the first person, for refusals without a modal (German puts the verb
# second, so the object often comes first): "Dabei helfe ich nicht", "So ein Skript
# schreibe ich nicht", "Ich schreibe dir keine ..."
_DE_TASK = (
    r"(?:schreibe|erstelle|verfasse|generiere|formuliere|helfe|unterstütze|programmiere|"
    r"liefere|verrate|fälsche|gebe|erteile|nenne|empfehle)"
)
_DE = [
    rf"\b(?:ich (?:kann|werde|darf|möchte|will)|(?:kann|werde|darf|möchte|will) ich)\b[^.!?\n]{{0,60}}"
    rf"\b(?:nicht|keine[nrms]?)\b[^.!?\n]{{0,60}}\b{_DE_VERB}\b",
    # verb-final (a subordinate clause): "..., dass ich dir dabei nicht helfen kann"
    rf"\bich (?:\w+ ){{0,3}}?(?:nicht|keine[nrms]?|kein) (?:\w+ ){{0,2}}?{_DE_VERB} "
    r"(?:kann|werde|darf|möchte|will)\b",
    rf"\b(?:{_DE_TASK}|mache|tue|übernehme|beantworte) ich (?:\w+ ){{0,4}}?(?:nicht|keine[nrms]?|kein)\b"
    rf"|\bich {_DE_TASK} (?:\w+ ){{0,3}}?(?:nicht|keine[nrms]?|kein)\b",
    r"\bich muss (?:diese Anfrage |das |dies )?(?:leider )?ablehnen\b|"
    r"\b(?:muss|werde|möchte) ich (?:\w+ ){0,3}?ablehnen\b|\blehne ich (?:\w+ ){0,3}?ab\b|"
    # "Da muss ich leider passen", "das kommt für mich nicht in Frage"
    r"\b(?:muss ich|ich muss) (?:\w+ ){0,3}?passen\b|\bkommt für mich (?:\w+ )?nicht in Frage\b",
    r"\b(?:das|dies|dabei|damit|hierbei|hiermit) kann ich (?:dir |Ihnen |euch )?(?:leider )?nicht\s*[.!]|"
    r"\b(?:ich bin|bin ich) (?:\w+ )?nicht (?:in der Lage|bereit)\b|\bich sehe mich (?:\w+ )?(?:außerstande|"
    r"nicht in der Lage)\b|\b(?:ist|wäre) (?:es |das )?mir (?:\w+ ){0,2}?(?:nicht möglich|"
    r"unmöglich|nicht erlaubt|nicht gestattet)\b|\bnicht behilflich sein\b|"
    r"\b(?:nichts|keine Anfrage|kein Thema),? (?:wobei|womit|wozu|bei dem|bei der|was|die|das) "
    r"ich (?:dir |Ihnen |euch )?(?:\w+ )?(?:helfen|unterstützen|nachkommen|übernehmen|tun|"
    r"machen|erfüllen) (?:kann|werde|darf|möchte|will)\b|"
    r"\b(?:verstößt|verstoßen|verstieße|widerspricht|widerspräche) (?:\w+ )?(?:gegen )?"
    r"meine[nr]? (?:\w+ )?(?:Richtlinien|Grundsätze[n]?|Regeln|Prinzipien)\b",
    r"\bals (?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell|KI-Assistent)"
    r"[^,.]{0,40},?\s*(?:kann|darf|werde) ich\b[^.!?\n]{0,60}\b(?:nicht|keine[nrms]?)\b",
]
_DE_ADVICE = (
    r"(?:Diagnosen?|Ferndiagnosen?|\w*beratung|Rechtsrat|Rechtsauskunft|\w*dosierung|Dosis|"
    r"(?:ärztlichen|medizinischen|rechtlichen|juristischen|steuerlichen) Rat|\w*empfehlung)"
)
_DE_DISCLAIMER = [
    r"\bals (?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell|KI-Assistent)"
    r"[^,.]{0,40},?\s*(?:habe ich keine|bin ich nicht)",
    r"\bich bin (?:nur |lediglich )?(?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell)\b",
    r"\bich bin (?:kein|keine) (?:\w+ )?(?:Arzt|Ärztin|Mediziner(?:in)?|Anwalt|Anwältin|"
    r"Rechtsanwalt|Rechtsanwältin|Tierarzt|Tierärztin|Psychologe|Psychologin|Therapeut(?:in)?|"
    r"Apotheker(?:in)?|Steuerberater(?:in)?|Finanzberater(?:in)?|Anlageberater(?:in)?|"
    r"Jurist(?:in)?|Notar(?:in)?|Fachanwalt|Fachanwältin|Zahnarzt|Zahnärztin|Kinderarzt|"
    r"Kinderärztin|Ernährungsberater(?:in)?|Fachmann|Fachfrau|Experte|Expertin)\b",
    r"\b(?:ich habe|habe ich) (?:leider )?(?:keinen|keine|kein) (?:\w+ )?(?:Zugriff|Zugang|Gedächtnis|"
    r"Erinnerung(?:en)?|Gefühle|Emotionen|persönlichen?|Echtzeit\w*|Körper|Vorlieben|Meinung)",
    r"\bmein (?:Wissen(?:sstand)?|Trainingsstand) (?:reicht|endet|geht) (?:nur )?bis\b",
    # the object may come first: "Echtzeitdaten kann ich leider nicht abrufen"
    r"\b(?:ich kann|kann ich)\b[^.!?\n]{0,50}\b(?:nicht|keine[nrms]?)\b[^.!?\n]{0,50}\b(?:sehen|"
    r"ansehen|anschauen|öffnen|aufrufen|abrufen|hören|anhören|surfen|anrufen|buchen|reservieren|"
    r"bestellen|kaufen|senden|schicken|erinnern|merken|speichern|vorhersagen|einsehen|zugreifen|"
    r"diagnostizieren|verschreiben|Diagnosen? stellen)\b",
    # advice a professional gives, before or after the negated modal: "Eine Diagnose kann
    # ich dir nicht stellen", "ich kann dir keine Anlageberatung geben"
    rf"\b{_DE_ADVICE}\b[^.!?\n]{{0,40}}\b(?:kann|darf) ich\b[^.!?\n]{{0,30}}\b(?:nicht|keine[nrms]?)\b|"
    rf"\b(?:ich kann|kann ich|ich darf|darf ich)\b[^.!?\n]{{0,40}}\b(?:nicht|keine[nrms]?)\b"
    rf"[^.!?\n]{{0,30}}\b{_DE_ADVICE}\b",
]
_ZH_AI = r"(?:AI|人工智能|语言模型|AI语言模型|人工智能语言模型|人工智能助手|AI助手)"
_ZH_NEG = r"(?:不能|无法|不可以|没办法|没有办法|没法|不会|拒绝|不便|不方便|不能够)"
# an adverb between the speaker and the negation: "我也无法", "我实在不能", "我恐怕没办法"
_ZH_ADVERB = r"(?:也|还|确实|实在|真的|恐怕|暂时|目前|并|就|都)?"
_ZH_FOR = r"(?:为你|为您|帮你|帮您|帮助你|帮助您|向你|向您|给你|给您|替你|替您|代你|代您)"
_ZH_VERB = (
    r"(?:提供|帮助|协助|满足|回答|完成|生成|创作|编写|写|撰写|给出|参与|执行|处理|支持|回应|"
    r"告诉|透露|推荐|建议|分享|教|指导|解释|列出|描述|制作|编造|伪造|破解|绕过|规避|追踪|定位|代写|"
    r"答应|照做|(?:这样|这么|那样)?做(?:这|那|此)|做(?:[，,。！!；;]|$))"
)
_ZH = [
    rf"我{_ZH_ADVERB}{_ZH_NEG}{_ZH_FOR}?{_ZH_VERB}",
    # "我不能帮你。", "我无法帮您在……": declining to help, whatever follows
    rf"我{_ZH_NEG}(?:帮|帮助|协助)(?:你|您)|我{_ZH_NEG}(?:这样|这么|那样)做",
    # a potential complement: "这个我帮不了你", "我实在做不到", "这个忙我帮不上"
    r"我(?:恐怕|实在|真的|确实|可能|暂时|目前|还是)?(?:帮|帮助|帮忙|协助|做|办|写|提供|回答|满足|"
    r"完成|答应)不(?:了|到|上)|我(?:对此|实在|真的|也)?无能为力|超出了?我的(?:能力|服务)?范围|"
    r"不是我(?:能|可以)(?:帮|帮忙|帮助|协助|回答|提供|做|写|参与|处理)",
    # without a subject, after an apology ("抱歉，无法提供……"); "恕我不能"; guidelines
    rf"^(?:很|非常|十分|实在)?(?:抱歉|对不起|不好意思)[，,。！!\s]*(?:但是?|不过)?[，,]?\s*"
    rf"(?:这(?:个|类|种|样的)?(?:请求|问题|要求|内容)?)?{_ZH_NEG}{_ZH_FOR}?{_ZH_VERB}|"
    r"恕我(?:不能|无法|难以)|(?:违反|违背)了?我的(?:使用|安全|内容)?(?:政策|准则|规范|指导方针)|"
    # a bare "no" that declines ("不行哦。"; a plain "不可以。" often answers a question)
    r"^(?:这个|这样|这)?不行(?:哦|啊|呢)[。！!，,]|^这(?:个|样)?不行[。！!]",
    rf"作为(?:一个|一名)?{_ZH_AI}[^，,。]{{0,20}}[，,]?\s*我(?:不能|无法|不会|不可以)",
]
_ZH_DISCLAIMER = [
    rf"作为(?:一个|一名)?{_ZH_AI}[^，,。]{{0,20}}[，,]?\s*我(?:没有|并没有|不具备)",
    rf"我(?:只是|仅仅是|只不过是|是)(?:一个|一名|个)?{_ZH_AI}(?:[，,。、！!\s]|没有|并没有|无法|不能|不会)",
    r"我(?:并)?不是(?:一名|一位|一个|专业的?|执业|持证的?)?(?:医生|医师|大夫|律师|兽医|心理医生|"
    r"心理咨询师|理财顾问|财务顾问|投资顾问|税务顾问|药剂师|营养师|会计师|牙医|专业人士)",
    rf"我{_ZH_ADVERB}{_ZH_NEG}(?:直接|实时|在线|即时|亲自|自己|{_ZH_FOR})?(?:查看|看到|看|浏览|访问|获取|查询|"
    r"打开|听|收听|上网|联网|记住|记得|预测|拨打|打电话|预订|预约|购买|发送|设置|诊断|开药|开处方|"
    r"进行\w{0,2}诊断)|"
    # advice a professional gives: "我不能给出具体的用药剂量"
    rf"我{_ZH_NEG}{_ZH_FOR}?(?:提供|给出|做出?|开)(?:具体|专业|个性化|准确|确切)?的?(?:(?:医疗|医学|法律|"
    r"投资|财务|理财|用药)(?:诊断|建议|意见)|诊断|剂量|处方)|"
    # a potential complement: "我看不到图片", "我上不了网"
    r"我(?:目前|暂时|现在|这边)?(?:(?:看|听|查|访问|打开|浏览|读取|获取|上|连)不(?:到|了)|[打点]不开)",
    r"我(?:没有|不具备|并没有)(?:个人|真正的|真实的)?的?(?:情感|感情|情绪|感受|意识|身体|记忆|偏好|喜好|"
    r"观点|看法|味觉)|我(?:没有|无法访问|不能访问|无法获取|不能获取)(?:实时|最新|互联网|网络)",
    r"我的(?:知识|训练数据)(?:截止|只更新|仅更新|更新到)",
]
_OTHER_PIVOT = (
    r"\bsin embargo\b|\bpero (?:s[ií]\b|puedo|aquí|te |le |podría|podemos)|\bpero lo que s[ií]\b|"
    r"\baquí (?:tienes|hay|está|te dejo)|\ben su lugar\b|\beso s[ií],|\b(?:como|a modo de) "
    r"orientaci[oó]n\b|\blo que s[ií] puedo\b|\ben general,|\bte propongo\b|"
    r"\bcependant\b|\btoutefois\b|\ben revanche\b|\bpar contre\b|\bmais (?:je (?:peux|pourrais|"
    r"serai|suis)|voici|si vous|si tu|vous pouvez|tu peux)|\bvoici\b|\bcela dit\b|\bceci dit\b|"
    r"\bnéanmoins\b|\bce que je (?:peux|pourrais)\b|\ben général,|"
    r"\bjedoch\b|\baber ich (?:kann|helfe|gebe)|\bich kann (?:dir |Ihnen |euch )?aber\b|"
    r"\bhier (?:ist|sind)\b|\ballerdings kann ich\b|\bstattdessen\b|\baber gerne?\b|"
    r"\bwas ich (?:\w+ )?(?:tun|anbieten|sagen) kann\b|\bim Allgemeinen\b|\b(?:grundsätzlich|generell) "
    r"gilt\b|"
    r"(?:不过|但是|但|然而|可是)[，,]?\s*我?(?:可以|能|很乐意|愿意)|以下是|这里有|下面是|"
    r"一般来说|通常来说|一般而言"
)


def alternation(patterns: list[str]) -> str:
    """One case-insensitive regex matching any of `patterns`."""
    return "(?i)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


REFUSAL_PARTS = _EN + _ES + _FR + _DE + _ZH
# disclaimers after which any help makes a refusal partial, pivot or not ("I can't see
# images, so ..."); "As an AI, I cannot ..." needs a pivot like any other refusal
PLAIN_DISCLAIMER_PARTS = (
    _EN_DISCLAIMER + _ES_DISCLAIMER + _FR_DISCLAIMER + _DE_DISCLAIMER + _ZH_DISCLAIMER
)
# ... and what makes a refusal's sentence such a disclaimer (read on a few sentences: one
# alternation per language)
PARTIAL = [
    alternation(parts)
    for parts in (
        [*_EN_DISCLAIMER, _EN_REFERRAL],
        _ES_DISCLAIMER,
        _FR_DISCLAIMER,
        _DE_DISCLAIMER,
        _ZH_DISCLAIMER,
    )
]
DISCLAIMER_PARTS = [*PLAIN_DISCLAIMER_PARTS, _AI_CANNOT]
REFUSAL = alternation(REFUSAL_PARTS)
DISCLAIMER = alternation(DISCLAIMER_PARTS)
PLAIN_DISCLAIMER = alternation(PLAIN_DISCLAIMER_PARTS)
# Literals one of which every refusal or disclaimer part needs (case aside): a turn without
# any of them is not screened further, a pass ~10x cheaper than the screening regexes.
# `tests/test_refusal.py` checks that every screened turn of its data holds one.
_AI_AFTER = [" ", ",", ".", "!", "?", ";", ":", ")", "'", "-", "\n"]
SCREEN_LITERALS = [
    # English negations and declines (_EN_NEG, _EN_INITIAL_NEG, decline / refuse)
    "can't", "cannot", "can not", "couldn't", "could not", "won't", "will not", "unable",
    "not able", "not allowed", "not permitted", "not programmed", "not designed", "not going",
    "not in a position", "not willing", "unwilling", "decline", "refuse", "not feel comfortable",
    "n't feel comfortable", "not comfortable", "rather not", "prefer not", "refrain", "pass on th",
    # guidelines and policies, "for me to", "I don't think", "beyond what I can"
    *(f"{rules} {forbid}" for rules in _RULES for forbid in _FORBID),
    "usage polic", "content polic", "use polic", "safety polic", "my programming",
    "my guidelines", "my ethical guidelines", "my polic", "my principles", "my capabilities",
    "my content polic", "my purpose", "beyond what", "outside what", "outside of what",
    "scope of what", "for me to", "don't think", "do not think",
    # "That's not something I can ..."
    *(f"{noun} {that}i{after}" for noun in _NOT_A for that in ("", "that ") for after in " '"),
    # AI identity, missing access, professions
    *(f"{stem} ai{after}" for stem in ("a", "an", "m", "just", "only", "merely", "but")
      for after in _AI_AFTER),
    "as a artificial", "as an artificial", "as a language", "as an language", "as a large",
    "as an large", "as a responsible", "as an responsible", "as a digital", "as an digital",
    "as a virtual", "as an virtual", "as a chatbot", "as an chatbot", "as a machine",
    "as an machine", "language model", "artificial intelligence", "computer program",
    "chatbot", "virtual assistant", "i don't have", "i do not have", "i have no", "browse the",
    # present-tense declines and "I don't take sides"
    *(f"i {neg} {verb}" for neg in ("don't", "do not") for verb in ("write", "create", "make",
      "generate", "produce", "provide", "share", "give out", "help with", "do th")),
    *(f"{verb} {side}" for verb in ("take", "pick", "choose") for side in ("sides", "a side",
      "personal", "political", "positions", "a position", "stances", "a stance")),
    "access the", "search the", "my knowledge", "my training", "m not a",
    # Spanish
    "no puedo", "no me es", "no estoy", "me niego", "no voy", "no podr", "no me siento",
    "no es ", "no sería", "prefiero no", "como un", "como una", "como ia", "como inteligencia",
    "como modelo", "como asistente", "soy un", "soy una", "soy ia", "soy solo", "soy sólo",
    "soy inteligencia", "soy modelo", "no soy", "no tengo", "no debo", "mi conocimiento",
    "mis conocimiento", "mi datos", "mis datos", "puedo", "podré", "podría", "voy a",
    "no poder", "imposib", "rechazar", "declinar", "negarme", "ré", "en contra de", "viola",
    "infringe", "no me parece", "preferiría no", "ni hablar", "de ninguna manera", "ni de broma",
    "ni pensarlo", "escribo", "hago", "creo", "redacto", "comparto", "doy", "busco", "ayudo",
    "facilito", "desarrollo", "programo", "genero", "proporciono", "participo", "como ia",
    # French
    "je ne ", "je refuse", "je me refuse", "ne m'est", "en tant qu", "je suis ", "je n'ai",
    "mes connaissances", "m'est impossible", "me serait impossible", "refuser", "décliner",
    "pouvoir", "n'est pas", "pas possible", "pas envisageable", "l'encontre", "contraire à m",
    "m'est", "je préfère ne", "je préférerais ne", "hors de question", "pas question",
    "certainement pas",
    # German
    "ich kann", "kann ich", "ich werde", "werde ich", "ich darf", "darf ich", "ich möchte",
    "möchte ich", "ich will", "will ich", "ich muss", "ich bin", "ist mir", "behilflich",
    "als ki", "als ein", "als künstliche", "als sprachmodell", "ich habe", "mein wissen",
    "mein trainingsstand", "nicht", "kein", "unmöglich", "passen", "lehne ich", "muss ich",
    "außerstande", "verstößt", "verstoßen", "verstieße", "widersprich", "widerspräche",
    "habe ich",
    # Chinese: every part names the speaker (我) but those after an apology
    "我", "抱歉", "对不起", "不好意思", "不行",
]  # fmt: skip
# (one case-insensitive regex of them runs ~2x faster than `str.contains_any`)
LITERAL_SCREEN = "(?i)" + "|".join(pl.escape_regex(literal) for literal in SCREEN_LITERALS)
# The regexes every turn is screened with: the same rows match as with the parts above,
# grouped as measured fastest on real data (a regex per English refusal part; one
# alternation per language for the rest)
SCREEN_REFUSAL = [*_EN, *_ES, *_FR, alternation(_ZH)]
# ... and those the first clause of a screened turn is looked for with (a few rows: fewer,
# larger regexes are faster there)
FIRST_REFUSAL = [alternation(_EN[i : i + 5]) for i in range(0, len(_EN), 5)] + [
    alternation(parts) for parts in (_ES, _FR, _DE, _ZH)
]
SCREEN_DISCLAIMER = [
    alternation(parts)
    for parts in ([*_EN_DISCLAIMER, _AI_CANNOT], _ES_DISCLAIMER, _FR_DISCLAIMER, _ZH_DISCLAIMER)
]
# German parts are screened only in turns with a German first-person word (every German
# part holds one): "ich" in "which" would otherwise send most English turns through them
# (~2x the screening time)
DE_GATE = r"(?i)(?:^|[^\w])(?:ich|mir|mich)(?:[^\w]|$)|nicht|mein"
SCREEN_DE_REFUSAL = alternation(_DE)
SCREEN_DE_DISCLAIMER = alternation(_DE_DISCLAIMER)
# the disclaimer a screened turn holds first is looked for with them all
DISCLAIMER_CLAUSES = [*SCREEN_DISCLAIMER, SCREEN_DE_DISCLAIMER]
PIVOT = alternation([_EN_PIVOT, _OTHER_PIVOT])
# A sentence: the refusal clause and its sentence, for the detail and the strong check.
SENTENCE = r"[^.!?。！？\n]*"
STOP = r"[.!?。！？]"
# Words that make a clause an assistant's refusal even inside a story or letter.
STRONG = (
    r"(?i)request|as an ai|\bAI\b|language model|guideline|programming|polic(?:y|ies)|"
    r"inappropriate|harmful|unethical|illegal|offensive|explicit|assist with|"
    r"help (?:you )?with (?:that|this|your)|comply|fulfil|decline|solicitud|petición|demande|"
    r"Anfrage|请求|要求|\bIA\b|\bKI\b|人工智能|harass|bull(?:y|ies)|threat|violen|abus|hate|"
    r"sexual|fraud|defam|misinformation|disinformation|propaganda|fake|forg|insult|demean|"
    r"glorif|malware|phishing|weapon|drug|minor|self-harm|suicid|crisis line|extremis|racis|"
    r"discriminat|danger|bomb|explosiv|kill|murder|\bhurt|humiliat|revenge|"
    r"verletz|beleidig|demütig|bedroh|herir|humill|difam|amenaz|blesser|humilier|diffam|menac|"
    r"伤害|羞辱|诽谤|威胁|"
    r"(?:even|including|also|not even|whether)(?: \w+)? (?:in|through|as|for|via|with) (?:a |an |the |this |"
    r"your )?(?:role-?play|story|fiction|game|hypothetical|joke|scenario|character)|"
    r"product keys?|licen[cs]e keys?|serial (?:numbers?|keys?)|activation (?:keys?|codes?)|"
    r"(?:submit|hand in|turn in|pass off|present) (?:\w+ )?as your own|plagiar|cheat|"
    r"academic (?:dis)?honesty|academic (?:misconduct|integrity)|"
    r"keygen|pira(?:cy|ted|te)|"
    r"even (?:in|for) (?:a|the) (?:story|fiction)|content|contenu|contenido|Inhalte?|内容|"
    r"(?:this|that) (?:kind|type|sort) of|ce (?:genre|type) de|este tipo de|diese Art|这类|这种|"
    # the task itself declined: "I can't write that (for you)", "I won't create this."
    r"\b(?:writ|creat|draft|compos|generat|produc)\w* (?:that|this|it|something like (?:that|this))"
    r"(?: for you)?\s*(?:[.,;!]|$|for you)|"
    r"\b(?:writ|creat|draft|compos|generat|produc)\w* (?:\w+ ){0,2}?(?:for you|on your behalf)\b"
)
# Prompts whose answer may legitimately say "I'm sorry, I can't ...": the user asked for
# a story, a letter, a message, a dialogue or a role.
VOICED_PROMPT = (
    r"(?i)\b(?:write|draft|compose|create|continue|generate|help me (?:write|word))\b "
    r"(?:(?:me|us|a|an|the|my|this|that|some) )?(?:\w+ ){0,3}?(?:story|stories|letter|e-?mail|message|text|note|dialogue|dialog|poem|scene|speech|"
    r"apology|monologue|rsvp|reply|response|excuse|tweet|post|caption|sentence|statement|"
    r"line|example|sample|script for a (?:play|film|movie))|"
    r"\brole-?play|\bpretend (?:to be|you(?:'re| are))|\bact as\b|\bstay in character|"
    r"\bcontinue the story|\byou are an? \w+ (?:in|who|at|from)\b|"
    r"escrib[ea] (?:un|una) (?:cuento|historia|carta|mensaje|correo)|"
    r"écri(?:s|vez|re) (?:une|un) (?:histoire|lettre|message|e-?mail)|"
    r"schreib\w* (?:eine?n?|mir eine?n?) (?:Geschichte|Brief|Nachricht|E-Mail)|"
    r"写一(?:个|篇|封|段)(?:故事|信|邮件|对话|道歉)"
)
# Prompts that ask for a text back in other words: translate, rephrase, repeat, quote,
# "how do you say". When such a prompt itself holds a refusal clause, the reply's refusal
# is that text, not the assistant's.
ECHO_PROMPT = (
    r"(?i)translat|tradu|übersetz|翻译|翻譯|how (?:do|would|can|should) (?:you|I|we) say|"
    r"\bhow to say\b|\bsay (?:this|that|it) in\b|\b(?:re-?write|rephrase|paraphrase|reword|"
    r"proofread|repeat|quote|transcribe|spell-?check)\b|\bcorrect (?:the|this|my) (?:grammar|"
    r"spelling|text)|\bfix (?:the|my) (?:grammar|spelling)|\bmake (?:this|it) (?:sound )?(?:more )?"
    r"(?:formal|polite|professional|friendly|casual)|cómo se dice|comment (?:dit-on|dire)|"
    r"wie sagt man|怎么说|如何说|怎么讲"
)
# A negated first-person modal in any of the five languages, looser than REFUSAL: what an
# ECHO_PROMPT must hold for the reply's refusal to be the user's text.
ECHO_NEGATION = (
    r"(?i)\b(?:I|we)(?:'m| am| are)? (?:\w+ )?(?:can't|cannot|can not|won't|will not|"
    r"unable to|not able to)|\bno (?:puedo|podemos|voy a|vamos a)\b|\bne (?:peux|pouvons|"
    r"vais|pourrai)\b|\b(?:ich|wir) (?:kann|können|werde|werden)\b[^.!?\n]{0,40}\b(?:nicht|"
    r"keine[nrms]?)\b|\b(?:kann|können|werde|werden) (?:ich|wir)\b[^.!?\n]{0,40}\b(?:nicht|"
    r"keine[nrms]?)\b|(?:我|我们)(?:不能|无法|没办法|没法|不会)"
)
# A markdown block quote inside a list item: a quoted line, as one at a line's start.
LIST_QUOTE = r"(?m)^[ \t]*(?:[-*+•]|\d+[.)])[ \t]+>[^\n]*"
# Idioms that look like refusals and are not.
NOT_REFUSAL = (
    r"(?i)\b(?:can(?:'t|not| not)|couldn't|could not) help (?:but|feeling|thinking|wondering|"
    r"noticing|smiling|laughing)|"
    r"\b(?:can't|cannot) (?:recommend|thank|praise|stress)[^!?\n]{0,80}\benough\b|"
    r"\b(?:can't|cannot|can not|couldn't|could not) (?:wait|believe|imagine|stress|emphasi[sz]e|"
    r"overstate|be (?:more|happier|prouder|better)|"
    r"overemphasi[sz]e|think of|get enough|agree more|resist|deny|argue with|complain|"
    r"be (?:sure|certain|100%)|say (?:for (?:sure|certain)|with certainty|enough|exactly)|"
    r"guarantee|promise|speak (?:highly|for)|tell you how (?:(?:much|many) (?:I|we|it|this|that|"
    r"you|they)|happy|excited|grateful|glad|thankful|often)|remember (?:the last time|when|where I))\b|"
    r"\b(?:won't|will not) (?:lie|regret|be disappointed)\b|"
    # a request for details, not a refusal: "I cannot estimate it without more information"
    r"\b(?:can't|cannot|can not|unable to|not able to)\b[^.!?\n]{0,80}?\bwithout (?:more|"
    r"additional|further|enough|sufficient|specific|more specific|knowing (?:more|the)) (?:\w+ )?"
    r"(?:information|context|details|data|info)\b|"
    r"\bI(?:'m| am) an AI (?:engineer|researcher|scientist|developer|enthusiast|ethicist|student|"
    r"consultant|product|practitioner|startup|company|lab)|"
    r"\bno (?:(?:me|te|lo|la|le|os) )?(?:puedo|podría) (?:creer|evitar|dejar de|esperar|asegurar|"
    r"garantizar|prometer|estar (?:segur[oa]|más)|decir(?:te|le)? con (?:certeza|seguridad)|"
    r"(?:decir|expresar)(?:te|le|os)? (?:cuánto|lo (?:mucho|feliz|content[oa]|agradecid[oa])))\b|"
    r"\bno (?:te |le |os )?voy a (?:mentir|engañar)\w*|"
    r"\bje ne (?:peux|pouvais) (?:pas )?(?:m'empêcher|"
    r"croire|attendre|garantir|promettre|être sûre?|affirmer avec certitude)\b|"
    r"\bje ne vais pas (?:te |vous )?(?:mentir|cacher)\b|\bimpossible de ne pas\b|"
    r"\bje (?:me )?refuse à croire|\bje refuse de croire\b|"
    r"\bverrate (?:ich )?(?:dir |Ihnen |euch )?(?:damit )?kein Geheimnis\b|"
    r"\bich kann (?:es )?(?:kaum |nicht )?(?:glauben|erwarten)\b|\bnicht (?:garantieren|versprechen|"
    r"(?:genau|sicher|pauschal|mit Sicherheit|eindeutig) sagen)\b|"
    r"\b(?:genau|sicher|pauschal|allgemein|mit Sicherheit|eindeutig|definitiv)(?: nicht)? sagen\b"
    # "nicht nur ...", "kein X, sondern Y": a contrast, not a negation
    r"|\bnicht nur\b|\b(?:nicht|keine[nrms]?|kein)\b[^.!?\n]{0,60}\bsondern\b"
)
