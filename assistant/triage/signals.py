"""Pattern sets for each triage signal, run over ``text.normalise``d input.

Each signal is a list of regular expressions over normalised text (lower case, no
apostrophes: "hes", "cant", "isnt"; slang expanded; key words spelling-corrected).
Emergency patterns are tuned for recall (EM-02): an unnecessary 999 panel costs little,
a missed one could cost a great deal. Other signals are tuned to avoid noise on ordinary
questions about the documents.
"""

# Regular expressions read better unbroken, so long lines are allowed in this table.
# ruff: noqa: E501

from __future__ import annotations

import re


def _compile(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_W = r"(?:\w+ ){0,%d}"


def _near(n: int) -> str:
    return _W % n


# ---------------------------------------------------------------- emergency (EM-01..03)

_NOW = (
    r"\b(?:right now|now|at the moment|currently|as we speak|as i type|tonight|this minute|"
    r"this second|outside|at the gate|in the street|still|again)\b"
)
_CHILD = (
    r"(?:\d+ (?:years? old|months? old|yr old|year)|child|children|kid|kids|baby|babies|toddler|infant|boy|girl|son|daughter|pupil|student|"
    r"teen|teenager|young person|little one|newborn|he|she|they|him|her|them|brother|sister)"
)

EMERGENCY_STRONG = _compile(
    # breathing / circulation
    r"\b(?:not|isnt|is not|arent|stopped|stop|no longer|cant|can not|cannot|struggling to|"
    r"trouble|difficulty|hardly|barely|wont|doesnt|isn t|aint|no) (?:\w+ )?(?:breathing|breathe|breath)\b",
    r"\bno (?:pulse|heartbeat|heart beat)\b",
    r"\b(?:turning|turned|gone|going|is|are) (?:blue|grey|purple)\b",
    r"\bchok(?:ing|ed|es)\b",
    r"\b(?:cpr|resuscitat\w*|defib\w*)\b",
    # consciousness
    r"\b(?:unconscious|unresponsive|passed out|blacked out|collapsed|collapsing|fainted|"
    r"not moving|floppy|limp|fitting|seizure\w*|convuls\w*|lifeless)\b",
    r"\b(?:wont|cant|not|doesnt|isnt|can not|cannot|will not) (?:\w+ )?wak(?:e|ing)(?: \w+)? up\b",
    # bleeding and serious injury
    r"\bbleed(?:ing|s)?\b",
    r"\bblood (?:everywhere|all over|pouring|wont stop|on (?:his|her|their))\b",
    r"\b(?:lot|lots|loads|load|alot|pool) of blood\b",
    r"\bcovered in blood\b",
    r"\b(?:head|serious|bad|nasty|severe) (?:injury|injuries|wound|cut|burns?)\b",
    r"\bbroken (?:arm|leg|bone|bones|neck|ribs?|skull)\b",
    r"\b(?:stabbed|stabbing|shot|shooting|knifed|slashed|strangl\w*|throttl\w*|suffocat\w*|"
    r"smother\w*|drown\w*|poisoned|electrocut\w*|scald\w*)\b",
    r"\b(?:hit by a (?:car|bus|van|lorry|train)|run over)\b",
    r"\b(?:fell|falling|fallen|jumped|hanging|thrown|pushed) (?:from|out of|off) (?:\w+ ){0,3}(?:window|balcony|roof|bridge|building|ledge)\b",
    r"\b(?:smoke|flames|fumes|gas leak)\b|\bon fire\b|\b(?:house|flat|room|building) (?:is )?(?:burning|on fire)\b",
    # weapons
    r"\b(?:with|has|had|got|holding|carrying|waving|pulled|pulling|brandishing|threatening \w+ with) "
    r"(?:a |an |his |her |their )?(?:knife|blade|gun|weapon|machete|bat|hammer|axe|firearm|pistol)\b",
    r"\b(?:armed|knife to|gun to)\b",
    # violence happening now
    r"\b(?:is|are|being|keeps|keep|started|starting|still|currently|now|just) "
    + _near(3)
    + r"(?:hitting|beating|punching|kicking|attacking|assaulting|battering|strangling|"
    r"slapping|shaking|stamping|raping|dragging|throwing|smacking|whipping|burning|choking|"
    r"hurting|abusing|bashing|beating up|laying into|going for)\b",
    r"\b(?:being|getting|been) (?:hit|beaten|beat|attacked|assaulted|hurt|raped|punched|"
    r"kicked|battered|shaken|strangled|dragged|stabbed|burnt|burned|whipped|bashed|"
    r"sexually assaulted|molested|abused right now)\b",
    r"\b(?:fight|fighting|violence|screaming|shouting|smashing|attack) " + _near(4) + _NOW,
    # threats to life and suicide
    r"\b(?:threat\w*|going to|gonna|will|wants? to|want to|trying to|tried to|try to|about to|"
    r"said \w+ (?:will|would|is going to)|says \w+ (?:will|is going to)|swore to|promised to) "
    r"(?:\w+ )?(?:kill|stab|shoot|murder|strangle|burn|hurt|harm|hit|beat|end|throw|drown|"
    r"smother|suffocate|poison|shake|attack|rape|abduct|kidnap|snatch|batter|cut|slash)\b",
    r"\b(?:just|has just|have just|had just|only just) (?:\w+ )?(?:punched|hit|kicked|attacked|"
    r"assaulted|stabbed|beaten|beat|slapped|strangled|burnt|burned|thrown|pushed|shaken|shook|"
    r"headbutted|bitten|raped|abused|grabbed|dragged|threatened)\b",
    r"\bburns? (?:all over|on (?:his|her|their) (?:face|body|arms?|legs?|hands?|back|chest))\b",
    r"\b(?:wont|will not|refuses? to|refusing to|didnt|did not) (?:take|bring) (?:\w+ )?(?:to )?"
    r"(?:hospital|a doctor|the doctor|a and e|the gp|a gp)\b",
    r"\boverdos\w*\b",
    r"\bkill(?:ing|ed)? (?:himself|herself|themselves|themself|myself|yourself|him|her|them|me|"
    r"us|the (?:baby|child|kids?|children))\b",
    r"\bsuicid\w*\b",
    r"\b(?:end|ending|take|taking) (?:his|her|their|my) (?:own )?life\b",
    r"\bend it all\b|\bwant(?:s)? to die\b|\bdont want to (?:live|be alive|be here)\b",
    r"\b(?:hang|hanging|hanged) (?:himself|herself|themselves|myself)\b",
    r"\b(?:jump|jumping|going to jump) (?:off|from|in front)\b",
    r"\b(?:on|at) the (?:edge of the )?(?:roof|ledge|bridge|railway|tracks|platform edge)\b",
    r"\b(?:overdose\w*|took|taken|swallowed|swallowing|drunk|drank) (?:an |a |some |lots of |loads of |a load of )?"
    r"(?:overdose|pills|tablets|paracetamol|bleach|medication|meds|painkillers|poison)\b",
    r"\bself harm\w* (?:now|right now|badly|deep|wont stop)\b",
    r"\b(?:cutting|cut|burning|harming) (?:himself|herself|themselves|myself) " + _near(3) + _NOW,
    r"\b(?:cut|cuts|cutting) (?:are |is )?(?:deep|really deep|wont stop)\b",
    # being taken, abduction, imminent FGM or forced marriage
    r"\b(?:kidnap\w*|abduct\w*|snatched|bundled)\b",
    r"\b(?:being|been|was|getting|just been|has been|is being) (?:taken|grabbed|dragged|forced|pulled|"
    r"lured|put) (?:away|into|in|by|off|from|out)\b(?! care\b)",
    r"\b(?:dragged|pulled|pushed|bundled|forced|lured|grabbed|put|taken|made to get|got) "
    r"(?:\w+ ){0,2}(?:into|in) (?:a|the|his|her|their|an|some|strange|a strange) (?:car|van|vehicle|taxi)\b",
    r"\b(?:taken|sent|going|flying|fly|travelling|leaving) (?:\w+ ){0,3}(?:abroad|overseas|"
    r"out of the country)\b",
    r"\b(?:taken|sent) back home\b",
    r"\b(?:to be cut|be cut|get cut|being cut|cutting ceremony|for fgm|fgm "
    + _near(3)
    + _NOW
    + r")",
    r"\b(?:forced|being forced|made) (?:\w+ )?(?:to marry|into marriage|to get married)\b",
    r"\b(?:married off|marry (?:him|her) off|to be married|get married) "
    + _near(5)
    + r"(?:tomorrow|tonight|this week|next week|soon|weekend|summer|holiday|abroad)\b",
    r"\bforced marriage " + _near(4) + r"(?:tomorrow|tonight|this week|next week|soon|weekend)\b",
    r"\b(?:flight|wedding) (?:is )?(?:tomorrow|tonight|today|this weekend)\b",
    # left alone / locked in / missing
    r"\b(?:left|leaving|leave|been|is|are|was|home|stay\w*) (?:\w+ )?alone\b",
    r"\balone (?:at home|in the (?:house|flat|car|home))\b",
    r"\b"
    + _CHILD
    + r" "
    + _near(4)
    + r"(?:alone|unsupervised|on (?:his|her|their) own|wandering)\b",
    r"\b(?:wandering|roaming|unsupervised) "
    + _near(4)
    + r"(?:road|street|streets|park|night|alone|"
    r"river|canal|station)\b",
    r"\bno (?:adult|adults|grown ups?|parent|parents|carer|one) (?:\w+ )?(?:anywhere|around|in sight|"
    r"about|with (?:him|her|them))\b",
    r"\bleft (?:on (?:his|her|their) own|unattended|behind|outside)\b",
    r"\bunattended\b|\babandoned\b",
    r"\blocked (?:\w+ )?(?:in|inside|out|up|away)\b|\b(?:hot|locked) car\b",
    r"\bleft (?:\w+ ){0,5}in (?:a |the |his |her |their )?(?:car|van|vehicle)\b",
    r"\bno (?:adult|adults|grown ups?|one|body) (?:is )?(?:at home|home|there|with (?:him|her|them)|"
    r"looking after|to look after|to collect)\b",
    r"\bnobody (?:is )?(?:looking after|at home|collected|came)\b",
    r"\b(?:not|hasnt|hasn t|never|didnt) (?:been )?(?:collected|picked up|come home|came home|returned)\b",
    r"\b(?:gone|went|is|are|been|has gone|now|reported|still|goes|going) missing\b",
    r"\b(?:ran|run|running|has run|run) away\b",
    r"\bcant find (?:him|her|them|my|the|our)\b|\bdisappeared\b",
    # sexual harm now / meeting a groomer
    r"\b(?:is|being|getting) (?:raped|sexually assaulted|molested|abused)\b",
    r"\b(?:meet|meeting|going to meet|gone to meet|went to meet) (?:up with )?(?:a |an |this |the |some )?"
    r"(?:older )?(?:man|men|stranger|guy|adult|someone|person|boyfriend) "
    + _near(4)
    + r"(?:tonight|today|now|later|after school|this evening)\b",
    r"\b(?:man|mans|men|stranger|strangers|adult|someone|somebody|car|van|guy|group)"
    r"(?: is| are| has been| have been| been| has| keeps| keep| was| were)? (?:following|followed|waiting for|"
    r"watching|approaching|approached|trying to get)\b",
    # intoxicated carers, drink driving
    r"\b(?:drunk|high|wasted|intoxicated|off (?:his|her|their) face|out of it) "
    + _near(5)
    + r"(?:baby|child|kids|toddler|children|driving|drive)\b",
    r"\b(?:drink|drunk|drug) driv\w*\b",
    # direct calls for help
    r"\b(?:please help|help now|help please|sos|mayday|someone help|need help now)\b",
    r"\bhelp (?:me|us)\b(?! (?:with|understand|to|find|write|make|work|draft|figure|get|know|out|"
    r"learn|check|think|plan|prepare|please with|decide|answer|explain))",
    r"\b(?:is|are|hes|shes|theyre|might be|could be|looks|think \w+ is) (?:dying|dead)\b",
    r"\b(?:going to|about to|could|might) die\b",
)
"""Any match means immediate danger: these fire even in a hypothetical or a long preamble."""

EMERGENCY_WEAK = _compile(
    r"\b(?:immediate|imminent|serious|grave|real|acute|urgent) (?:danger|risk|threat)\b",
    r"\bin danger\b|\bunsafe " + _near(3) + _NOW,
    r"\bat risk " + _near(2) + r"(?:right now|now|tonight|today)\b",
    r"\b(?:emergency|urgent|urgently)\b(?! (?:duty|protection|contact|number|numbers|route|routes|"
    r"procedure|procedures|services|planning|department|placement))",
    r"\bscared (?:for (?:his|her|their) life|to go home)\b|\bterrified\b",
    r"\b(?:call|need|get|send|phone|ring) (?:an |the )?(?:ambulance|paramedics?|police|999)\b",
    r"\b(?:hurt|harm|hit|attack) (?:\w+ )?(?:him|her|them|the child|the baby)\b",
)
"""Danger words that also appear in questions about the procedures themselves."""

GENERAL_QUESTION = _compile(
    r"^(?:what|where|how|when|which|who|is there|are there|does|do|can|explain|define|describe|"
    r"tell me about|summarise|list|show me)\b.*\b(?:procedure|procedures|guidance|policy|route|"
    r"document|documents|arrangements|threshold|say|says|said about|definition|define|defined|"
    r"mean|means|meant|in general|generally|number|process|protocol|role|who should)\b",
)

CONTINUATION = _compile(
    r"^(?:what|and|so|ok|okay|now|help|please|then|but|still|yes|no|what now|what next|next)\b",
    r"\b(?:what (?:do|should|can|must) (?:i|we) do|what now|what next|what do i do now|"
    r"now what|next step|next steps|how do i|who do i call|who do i ring|what number)\b",
    r"\b(?:he|she|they|him|her|them|it|this|that|still|again|now|there)\b",
)

# ---------------------------------------------------------------- disclosure (EM-04)

_HARM = (
    r"(?:touch\w*|hit|hits|hitting|hurt\w*|beat\w*|kick\w*|punch\w*|slap\w*|smack\w*|burn\w*|"
    r"bruis\w*|abus\w*|rape\w*|raping|sex\w*|molest\w*|fondl\w*|grop\w*|private parts|privates|"
    r"naked|nude\w*|photos|pictures|videos|porn\w*|undress\w*|threaten\w*|scared|afraid|"
    r"frightened|terrified|locks|locked|starv\w*|no food|not fed|doesnt feed|hungry|kicked out|"
    r"chucked out|strangl\w*|chok\w*|cut|cuts|cutting|self harm\w*|suicid\w*|kill|fgm|"
    r"genital|circumcis\w*|married|marry|wedding|forced|groom\w*|exploit\w*|drugs|county lines|"
    r"gifts|older (?:boyfriend|man|men)|pregnant|weapon|knife|belt|strap|shak\w*|bit|bites|"
    r"pinch\w*|scratch\w*|drag\w*|push\w*|shov\w*|throw\w*|threw|neglect\w*|alone|left)"
)
_ACTOR = (
    r"(?:uncle|dad|father|stepdad|step dad|stepfather|mum|mother|stepmum|step mum|stepmother|"
    r"brother|sister|cousin|grandad|grandfather|granddad|nan|nana|gran|grandma|grandmother|aunt|"
    r"auntie|aunty|boyfriend|girlfriend|partner|carer|foster carer|foster mum|foster dad|teacher|"
    r"coach|neighbour|lodger|man|men|someone|adult|older boys?|older girls?|friend|parent|"
    r"parents|he|she|they)"
)
_VICTIM = r"(?:her|him|them|me|the child|the baby|the kids|his sister|his brother|her sister|her brother|\[name\])"

DISCLOSURE = _compile(
    r"\b(?:told|tells|telling|said|says|saying|disclosed|disclosing|discloses|confided|revealed|"
    r"mentioned|admitted|alleged|alleges|alleging|reported|wrote|written|whispered|let slip|"
    r"opened up|shared|explained|informed|showed)\b " + _near(14) + r"\b" + _HARM + r"\b",
    r"\b" + _ACTOR + r" (?:\w+ )?(?:touches|touched|touching|hits|hit|hitting|beats|beat|beating|"
    r"hurts|hurt|hurting|kicks|kicked|slaps|slapped|punches|punched|burns|burnt|burned|abuses|"
    r"abused|rapes|raped|molests|molested|fondles|gropes|groped|locks|locked|starves|strangles|"
    r"strangled|chokes|choked|shakes|shook|films|filmed|photographs|photographed|smacks|smacked|"
    r"whips|whipped|bites|bit|pinches|threatens|threatened|makes|made|forces|forced|sends|sent|"
    r"shows|showed) " + _VICTIM + r"\b",
    r"\b(?:disclos\w*|allegation\w*)\b",
    r"\b(?:fgm|female genital mutilation|genital (?:cutting|mutilation)|circumcis\w*|cut down there)\b",
    r"\bsexual(?:ly)? (?:abuse\w*|assault\w*|exploit\w*|touch\w*|harm\w*|activity|images)\b",
    r"\b(?:cse|csa|rape|raped|molested|groomed|grooming|trafficked|county lines|forced marriage|"
    r"honour based|breast ironing|witchcraft|possession|spirit)\b",
    r"\bself harm\w*\b|\bcutting (?:herself|himself|themselves)\b|\bsuicid\w*\b",
    r"\b(?:bruise|bruises|bruising|bruised|burn marks|burns|marks|welts|bite marks|black eye|"
    r"injury|injuries|fracture|fractures)\b",
    r"\bscared to go home\b|\bdoesnt want to go home\b|\bwont go home\b|\bafraid of (?:his|her|their) "
    r"(?:dad|mum|father|mother|stepdad|uncle|parents?|carer)\b",
    r"\bnot (?:allowed|let) to (?:eat|sleep|go out|leave|see|have food|use the toilet|wash)\b",
    r"\b(?:made|forced|told) to (?:sleep|stand|stay|kneel) (?:\w+ ){0,3}(?:outside|floor|corner|"
    r"cupboard|garden|all night|for hours)\b",
    r"\b(?:not fed|no food at home|always hungry|steal\w* food|sleeping rough|kicked out|chucked out|"
    r"lives? in (?:filth|squalor)|dirty clothes|unwashed|no heating)\b",
    r"\bdomestic (?:abuse|violence)\b "
    + _near(6)
    + r"\b(?:home|house|mum|dad|parents|witness\w*|saw|sees)\b",
)

CONCRETE_CASE = _compile(
    r"\b(?:she|he|hes|shes|her|him|his|theyre)\b",
    r"\bmy (?:pupil|student|class|tutee|child|son|daughter|patient|client|mentee|caseload)\b",
    r"\b(?:a|one|this|the|our|an) (?:pupil|student|girl|boy|child|young person|baby|toddler|"
    r"teenager|teen|sibling|family|mum|dad|mother|father|learner|patient|kid) (?:who|has|is|in|"
    r"at|from|told|said|came|turned|was|i|we|whose|with|keeps|seems)\b",
    r"\b(?:year|yr|y) ?\d+ (?:pupil|student|girl|boy|child|kid)\b",
    r"\bone of (?:my|our)\b",
    r"\bi (?:have )?(?:noticed|saw|seen|found|heard|was told|spotted|witnessed)\b",
    r"\[name\]",
)

# ---------------------------------------------------------------- decision requests (DSB-01..04)

_CASE = (
    r"(?:this|it|that|he|she|they|the (?:case|child|family|situation|incident|concern|pupil|"
    r"girl|boy|baby)|my (?:case|concern|pupil|student)|these concerns|this family|\[name\])"
)
_CATEGORY = (
    r"(?:cp|child protection|cin|child in need|early help|section 47|section 17|s47|s17|"
    r"safeguarding|lado|police|significant harm|neglect|abuse|emotional abuse|physical abuse|"
    r"sexual abuse|fgm|cse|exploitation|domestic abuse|level \d|tier \d|a referral|referral|"
    r"harm|a concern|concern|a safeguarding (?:issue|concern|matter)|mash|irh|"
    r"cspr|rapid review|serious incident)"
)

DECISION = _compile(
    r"\b(?:is|would|will|could|does|should|might) " + _CASE + r" (?:be |count as |classed as |"
    r"considered |at |fall (?:into|under|at) |sit at |fit |a )?(?:a |an )?(?:level|tier) ?\d",
    r"\b(?:level|tier) \d (?:or|vs|versus) (?:level |tier )?\d\b",
    r"\b(?:what|which) (?:level|tier|category|threshold|stage) " + _near(6) + r"(?:is|would|does|"
    r"should|applies|apply|fits|fit|meet|meets|fall|falls|sit|sits|be|am i|are we)\b",
    r"\b(?:what|which) (?:level|tier|category|threshold) (?:is|would) " + _CASE + r"\b",
    r"\b(?:does|do|would|will|could|might|has|have|did|is) " + _CASE + r" (?:\w+ )?(?:meet|meets|"
    r"reach|reached|reaches|cross|crossed|hit|warrant|warrants|need|needs|require|requires|justify|"
    r"count|qualify|qualifies|fit|fits|fall|falls|sound like|amount to|constitute)\b",
    r"\bmeets? (?:the )?(?:threshold|criteria)\s*$",
    r"\b(?:threshold|criteria) (?:been |is )?(?:met|reached)\b",
    r"\bis (?:this|it|that|she|he|they|there|the threshold) (?:enough|serious enough|bad enough|"
    r"worth|high enough|sufficient)\b",
    r"\benough (?:for|to) (?:a |make a )?(?:referral|refer|report|section 47|s47|cp|child protection|"
    r"strategy meeting|lado)\b",
    r"(?<!when )(?<!how )(?<!where )(?<!who )(?<!what )(?<!which )"
    r"\bshould (?:i|we) (?:\w+ )?(?:refer|report|make a referral|call|ring|phone|contact|tell|"
    r"inform|escalate|do a marf|complete a marf|submit|notify|share|wait|leave it|ignore|be worried|"
    r"be concerned|worry|involve|speak to|raise|log|record)\b",
    r"\b(?:do|will|would) (?:i|we) (?:\w+ )?(?:need|have|got) to (?:\w+ )?(?:refer|report|tell|inform|"
    r"call|contact|share|do anything|make a referral|escalate|notify|involve|act|take action)\b",
    r"\b(?:must|shall|ought) (?:i|we) (?:to )?(?:\w+ )?(?:refer|report|tell|inform|call|contact|"
    r"share|make a referral|escalate|notify|involve|act)\b",
    r"\b(?:i|we) (?:must|should|need to|have to|ought to) (?:\w+ )?(?:refer|report|make a referral)"
    r"(?: \w+){0,6}\s*(?:right|correct|yes|no)?\s*$",
    r"\b(?:i|we) dont (?:need|have) to (?:refer|report|tell|share)\b",
    r"\bis (?:a |the )?referral (?:needed|necessary|required|warranted|appropriate|justified)\b",
    r"\bshould (?:this|it|they|she|he|the child|the family|\[name\]) (?:be |go )?(?:\w+ )?"
    r"(?:refer\w*|report\w*|escalat\w*|to (?:the )?(?:mash|irh|lado|police|social care))\b",
    r"\bwould you (?:refer|report|say|call it|class|escalate|worry|be worried|be concerned)\b",
    r"\bwhat would you do\b",
    r"\bis (?:this|it|that|she|he|they|there|\[name\]) (?:a |an )?(?:case of |matter for |case for |"
    r"likely |probably |definitely )?" + _CATEGORY + r"(?: \w+)?\s*$",
    r"\bis (?:this|it|that) (?:a |an )?" + _CATEGORY + r" (?:matter|case|issue|concern|referral|"
    r"situation|or|level|threshold)\b",
    r"\b(?:would|will|is|could) (?:this|it|that) (?:be|count as|go to) (?:\w+ )?"
    + _CATEGORY
    + r"\b",
    r"\brefer or not\b|\b(?:refer|report) (?:it |this )?or (?:not|leave it|wait)\b|\bto refer or not\b",
    r"\byes or no\b|\bjust (?:say|tell me|answer) (?:yes|no|if|whether|the)\b",
    r"\b(?:tell|give) me (?:the|a|your) (?:answer|level|verdict|decision|opinion|view|judgement)\b",
    r"\b(?:am i|are we|was i) (?:right|wrong|overreacting|being paranoid|making a fuss)\b",
    r"\b(?:is it|its|it is|would it be) (?:ok|okay|fine|alright|acceptable|reasonable|safe) "
    r"(?:to|if|not to)\b",
    r"\b(?:is it|would it be|is that|is this) (?:legal|lawful|illegal|unlawful|against the law)\b",
    r"\b(?:could|can|will|would) (?:i|we) (?:be|get) (?:sued|sacked|disciplined|in trouble|struck off)\b",
    r"\b(?:am i|are we) allowed to (?:share|tell|refer|report|call|contact)\b",
    r"\bworth (?:referring|reporting|bothering|a referral|calling|ringing|escalating|raising)\b",
    r"\b(?:is|does) (?:this|it|that) (?:count|qualify) as\b",
    r"\b(?:probably|surely) (?:nothing|fine|innocent|accidental|ok|okay)\b",
    r"\b(?:its|it is|thats|that is|he is|she is|theyre) (?:probably |surely |definitely )?"
    r"(?:fine|nothing|ok|okay|innocent|accidental|not abuse|not a concern)\b.*\b(?:right|agree|isnt it|"
    r"correct|yes)\s*$",
    r"\b(?:agree|right|correct|isnt it|wouldnt you say)\s*$",
    r"\bdo i (?:need|have) to\b.*\b(?:cspr|rapid review|notification|lado|strategy)\b",
    r"\bcan i (?:just )?(?:wait|leave it|not refer|not report|not tell|hold off|monitor instead)\b",
)

# ---------------------------------------------------------------- injection (PI-04, PI-08)

INJECTION = _compile(
    r"\b(?:ignore|disregard|forget|override|bypass|skip|drop|turn off|switch off|disable|suspend|"
    r"remove|abandon|break) (?:\w+ ){0,4}(?:rules|rule|instructions|instruction|guidelines|prompt|"
    r"programming|restrictions|guardrails|filters|filter|safety|policies|policy|limits|"
    r"constraints|boundaries|training|system|disclaimers?|warnings?|notices?|citations?|footer|"
    r"box|panel|banner)\b",
    r"\b(?:show|print|reveal|repeat|output|display|tell me|give me|what is|whats|what are|leak|"
    r"dump|share|list|paste|copy) (?:\w+ ){0,3}(?:system prompt|system message|initial prompt|"
    r"hidden prompt|prompt|instructions|rules you follow|your rules|configuration|config|api keys?|"
    r"secrets?|credentials|password)\b",
    r"\b(?:print|repeat|show|output|copy|paste|reveal) (?:\w+ ){0,2}(?:text|words|message|messages|"
    r"instructions|everything|content) (?:above|before|earlier|you were given)\b",
    r"\b(?:everything|all|the text|instructions) above\b",
    r"\bsystem prompt\b|\bsystem message\b|\bpre ?prompt\b",
    r"\b(?:developer|dev|god|admin|debug|unrestricted|jailbreak|jailbroken|dan|sudo) mode\b",
    r"\bjailbreak\w*\b|\bdo anything now\b",
    r"\b(?:answer|respond|reply|tell me|say it|just answer) (?:\w+ ){0,3}(?:without|with no|minus) "
    r"(?:the |any |your )?(?:citations?|sources?|references|disclaimers?|warnings?|notices?|caveats|"
    r"footer|reminder|the box|the panel|999|hedging)\b",
    r"\b(?:no|without) (?:citations|sources|disclaimers|caveats|warnings)\b",
    r"\b(?:dont|do not|never|stop) (?:\w+ ){0,2}(?:show|showing|include|including|cite|citing|add|"
    r"adding|give|giving|display|displaying|mention|mentioning|put) (?:\w+ ){0,2}(?:citations?|"
    r"sources?|warnings?|disclaimers?|notices?|box|panel|banner|footer|999|emergency|caveats?|"
    r"reminder|dsl|helpline|hand back)\b",
    r"\b(?:i am|im|as) (?:the |a |an )?(?:dsl|designated safeguarding lead|safeguarding lead|"
    r"manager|admin|administrator|developer|owner|head|headteacher|social worker|lado|team "
    r"manager|director|doctor|police officer|operator|your creator|openai|anthropic)\b.*\b(?:"
    r"authori[sz]e|permit|allow|give you permission|permission|override|exempt|instruct|order|"
    r"command|so you can|you can|you may|you must|you should)\b",
    r"\b(?:i|we) (?:hereby )?(?:authori[sz]e|permit|allow|give you permission|grant you)\b",
    r"\byou (?:are|re) (?:now|no longer|free|allowed|permitted|authori[sz]ed)\b",
    r"\b(?:pretend|imagine|act|behave|roleplay|role play) (?:\w+ ){0,3}(?:you are|youre|to be|as if|as a|as an)\b",
    r"\bfrom now on\b|\bnew instructions\b|\bupdated instructions\b|\byour (?:new )?task is now\b",
    r"\b(?:base64|rot13|hex encoded|decode this|encoded)\b",
    r"\bi (?:already )?know (?:about )?(?:the )?999\b",
    r"\b(?:hypothetically|in a story|in a novel|for a story|in fiction|as a game)\b.*\b(?:level|"
    r"threshold|refer|rules|instructions)\b",
    r"\b(?:repeat after me|say exactly|respond only with|reply only with|output only)\b",
)

# ---------------------------------------------------------------- scope (DSB-05, -06, -08)

OUT_OF_SCOPE = _compile(
    r"\b(?:write|compose|create|make|generate|give|tell|draft|invent|do|need|want|help me with|"
    r"come up with|sing) (?:me |us )?(?:a |an |some |the |my |our )?(?:\w+ ){0,2}(?:poem|poems|"
    r"joke|jokes|story|stories|song|songs|rap|limerick|haiku|sonnet|riddle|riddles|quiz|"
    r"worksheet|lesson plan|lesson|assembly|game|games|colouring|wordsearch|crossword|"
    r"birthday message|card|speech|recipe|essay|homework|coursework|dissertation|"
    r"cover letter|cv|tweet|instagram post|tiktok|advert)\b",
    r"^(?:hi|hello|hey|hiya|yo|good morning|good afternoon|good evening|how are you|whats up|"
    r"sup|thanks|thank you|cheers|test|testing)(?: there| you| bot| assistant)?\s*$",
    r"\b(?:how are you|whats your name|who made you|who are you|are you (?:human|real|a bot|sentient|"
    r"conscious)|tell me about yourself|do you have feelings|whats the meaning of life)\b",
    r"\b(?:weather|football|premier league|match score|lottery|horoscope|stock price|bitcoin|crypto|"
    r"recipe|cook|cooking|bake|holiday|film|movie|netflix|tv show|celebrity|capital of|population "
    r"of|translate|translation|spell check|proofread|python|javascript|code|coding|maths problem|"
    r"math problem|equation|algebra|crossword|sudoku|chess)\b",
    r"^(?:whats|what is|calculate|work out) \d+(?: \d+)+$",
    r"\b(?:explain|describe|write|tell|say|make) (?:\w+ ){0,5}(?:for|to) (?:a |an |my |our |the )?"
    r"(?:\d+ years old|\d+ year olds?|kids|children|child|class|pupils|son|daughter|toddler|"
    r"reception|year \d+|students|parents|parent)\b(?! (?:about|in|who|at risk))",
    r"\b(?:my|for) (?:homework|coursework|assignment|essay|exam|dissertation)\b",
)

SAFEGUARDING_TERMS = _compile(
    r"\b(?:safeguard\w*|referral|refer|threshold|dsl|lado|mash|irh|cspr|early help|child protection|"
    r"child in need|section 47|section 17|neglect|abuse|harm|lscp|lscb|partnership|escalat\w*|"
    r"procedure|procedures|working together|consent|information sharing|marf|strategy meeting|"
    r"conference|plan|social care|social worker|police|allegation|designated|annual report|"
    r"roadmap|scrutineer|exploitation|fgm|prevent|missing|domestic|level \d|tier \d)\b",
)

RISK_SCORE = _compile(
    r"\brisk (?:score|scores|scoring|rating|ratings|percentage|probability)\b",
    r"\b(?:score|rate|rank|grade|mark) (?:\w+ ){0,3}(?:family|families|child|children|risk|case|"
    r"cases|danger|parent|parents|dad|mum|referrals?)\b",
    r"\b(?:out of|on a scale of) (?:\d+|ten|five|hundred)\b",
    r"\bhow (?:likely|probable|risky|dangerous) (?:is it|is (?:he|she|this|the|it)|are they|that|"
    r"would)\b",
    r"\b(?:what are the chances|what is the chance|whats the chance|probability|likelihood|"
    r"percentage chance|odds)\b",
    r"\bpredict\w*\b",
    r"\b(?:rank|prioriti[sz]e|triage|order) (?:these|my|the|our) (?:families|children|cases|"
    r"referrals|kids)\b",
    r"\brisk (?:level|assessment) (?:of|for) (?:this|the|my|these|\[name\])\b",
)

CASE_NOTES = _compile(
    r"(?:^|\b(?:please|can you|could you|would you|will you|help me|i need you to|i want you to|"
    r"just|now|go ahead and|then)\b )(?:write|draft|compose|prepare|create|produce|generate|fill in|"
    r"fill out|complete|type up|write up|turn|convert|summari[sz]e|rewrite|format|tidy up|do) "
    r"(?:\w+ ){0,5}(?:case ?notes?|chronolog\w*|referral|marf|referral form|form|record|records|"
    r"statement|report|notes|minutes|letter|email|summary|assessment|write up|log|entry|cpoms|"
    r"myconcern|narrative|account)\b",
    r"\b(?:write|draft|type) (?:this|it|these|them|my notes) up\b",
    r"\b(?:turn|convert|make) (?:these|my|the) (?:notes|bullet points|details) into\b",
    r"\bfor (?:the|his|her|their) (?:file|record|records|case file)\b",
)

ASKS_TO_ACT = _compile(
    r"\b(?:tell|contact|notify|alert|email|call|ring|phone|inform|message|text|warn|refer|report "
    r"(?:this|it|him|her|them)|send (?:this|it|a referral)|pass (?:this|it) on|escalate) "
    r"(?:\w+ ){0,4}for me\b",
    r"\b(?:can|could|will|would) you (?:please )?(?:call|contact|tell(?! me)|notify|alert|report|"
    r"refer|email|send(?! me)|ring|phone|message|inform|escalate|pass (?:this|it|on)|forward|submit|"
    r"make the referral|raise|book|let (?:the|them|someone))\b",
    r"^(?:please )?(?:call|contact|notify|alert|email|ring|phone|inform|message|send|refer|report|"
    r"escalate) (?:the |a |an )?(?:mash|irh|police|social care|social services|lado|dsl|"
    r"ambulance|999|someone|them|it|this)\b",
    r"\b(?:make|submit|send|raise|file) (?:the |a |my )?(?:referral|marf|report) for me\b",
    r"\b(?:is|are) (?:anyone|someone|somebody|you|staff|people) (?:\w+ )?(?:monitoring|watching|"
    r"reading|checking|seeing) (?:this|these|the chat)\b",
    r"\b(?:has|have|did) (?:this|it|you) (?:been )?(?:reported|passed on|sent|referred|logged)\b",
    r"\bwill (?:you|this|someone|anyone) (?:let|tell|inform|report|alert|contact|be notified)\b",
    r"\b(?:does|will) (?:this|the chat|this tool) (?:get )?(?:send|sent|report|alert|notify|go to)\b",
    r"\b(?:will|does|can|could|would) (?:anyone|someone|somebody|a person|a human|staff|you) "
    r"(?:\w+ )?(?:see|read|monitor|check|look at|review|follow up|respond to) (?:this|my|these|the)\b",
    r"\bis (?:this|the chat|this chat|my message) (?:\w+ )?(?:monitored|private|confidential|anonymous|"
    r"recorded|logged|saved|passed on)\b",
)

CHILD_OR_PARENT = _compile(
    r"\b(?:im|i am) (?:only |just )?(?:[5-9]|1[0-7])(?: years old| year old)?\b(?! years? (?:of|in|as))",
    r"\b(?:im|i am) (?:only |just )?(?:a |an )?(?:kid|child|teen|teenager|young person|"
    r"girl|boy|schoolgirl|schoolboy|minor|pupil(?! referral)|year \d+)\b(?! (?:social|nurse|teacher|"
    r"practitioner|worker|support|mentor|leader|counsellor))",
    # "im in year 8 and my dad hits me"; not "a lad in year 12 has messaged me".
    r"\b(?:im|i am) in year \d+\b",
    r"\bmy (?:mum|dad|stepdad|step dad|stepmum|step mum|mother|father|uncle|aunt|auntie|brother|"
    r"sister|cousin|grandad|nan|parents?|carer|foster (?:carer|mum|dad)|teacher|coach|mums "
    r"boyfriend|mums partner|mums bf)s? (?:\w+ ){0,3}(?:hits|hit|beats|beat|hurts|hurt|touches|"
    r"touched|kicks|kicked|slaps|slapped|punches|punched|burns|burnt|abuses|abused|rapes|raped|"
    r"shouts at|screams at|locks|locked|starves|threatens|threatened|chokes|choked|makes|made|"
    r"forces|forced|sends|sent|shows|showed|films|filmed|grabs|grabbed|pushes|pushed|scares)\b "
    r"(?:\w+ ){0,2}(?:me|us)\b",
    r"\b(?:hits|hurts|touches|beats|kicks|slaps|abuses|rapes|threatens|chokes|burns|locks|starves) me\b",
    r"\b(?:im|i am|i feel|i get) (?:so )?(?:scared|afraid|frightened|terrified) (?:to go home|of my|"
    r"at home|of (?:him|her|them))\b",
    r"\b(?:will|are|is|can|could|might|do) (?:they|social services|social care|social workers?|"
    r"the council|the school) (?:\w+ )?(?:take|taking|remove|removing) (?:my|our) (?:kids|children|"
    r"child|baby|son|daughter|boy|girl)\b",
    r"\bmy (?:son|daughter|child|kids|baby|children|little one|toddler|stepson|stepdaughter|"
    r"newborn|teenager)s? (?:is|has|was|told|said|keeps|came|wont|doesnt|got|goes|gets|had|"
    r"seems|needs|cries|ran|went|tells|just)\b",
    r"\b(?:social services|social care|a social worker|the school) (?:\w+ ){0,3}(?:my (?:kids|children|"
    r"son|daughter|baby|family|child)|me and my)\b",
    r"\b(?:my|our) (?:ex|ex partner|ex husband|ex wife|husband|wife|partner|boyfriend) (?:\w+ ){0,3}"
    r"(?:hits|hit|beats|beat|hurts|hurt|threatens|threatened|abuses) (?:me|the kids|our kids|my kids)\b",
)
"""The writer seems to be a child or a parent rather than a practitioner (EM-07)."""

_NOT_REPORTED = r"^(?!.*\b(?:said|says|told|saying|texted|wrote|messaged|posted)\b).*"

PRACTITIONER_CRISIS = _compile(
    r"\bi (?:just )?(?:cant|can not|cannot|dont think i can|dont know if i can|am unable to) "
    r"(?:cope|go on|do this any ?more|take (?:it|this|any ?more)|carry on|keep going|handle (?:it|"
    r"this) any ?more)\b",
    r"\b(?:im|i am|i feel|feeling|i m) (?:so |really |completely |totally )?(?:not coping|"
    r"overwhelmed|burnt out|burned out|broken|hopeless|worthless|suicidal|desperate|at breaking "
    r"point|falling apart|numb|traumati[sz]ed|at the end of my tether|done with everything|"
    r"going under|drowning)\b",
    _NOT_REPORTED
    + r"\b(?:i want|i wanna|i am going|im going|i need) to (?:end it|end my life|kill myself|die|"
    r"disappear|hurt myself|harm myself|give up|not be here)\b",
    r"\bend it all\b|\bno point (?:in )?(?:going on|living|anything|carrying on)\b",
    r"\b(?:vicarious|secondary) trauma\b",
    r"\bcant stop (?:crying|shaking|thinking about (?:it|this|the case|him|her))\b",
    r"\b(?:nightmares|flashbacks|panic attacks?) (?:about|since|after|because of|over)\b",
    r"\bcant sleep\b|\bbreaking down\b|\bdont want to (?:be here|live|go on|wake up)\b",
    _NOT_REPORTED + r"\b(?:kill|hurt|harm) myself\b",
)
"""The practitioner writing seems to be in personal crisis (EM-08)."""
