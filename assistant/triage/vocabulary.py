"""Words that are not personal names, for the capitalised-pair name heuristic.

Generated once from every word that appears in lower case in the corpus documents and
the reference fact sheets, plus place, organisation and calendar words. A pair of
capitalised words is treated as a person's name only when neither word is in this set
(or the first word is a known first name), so "Integrated Referral Hub" or "Working
Together" are left alone while "Kwame Mensah" is redacted. Regenerate when the corpus
grows a lot; missing a word here errs towards redacting, which is the safe side.
"""

from __future__ import annotations

COMMON_WORDS: frozenset[str] = frozenset(
    """
    aasos abides ability able about above abroad absence absent absolute abstention abuse abused
    ac academic academies academy accelerate accelerated accept acceptance accepted access
    accessed accessibility accessible accessing accidental accommodate accommodated accommodates
    accommodation accompanied accordance according accordingly account accountability
    accountable accounted accounts accuracy accurate accurately achievable achieve achieved
    achievement achievements achieving acknowledge acknowledged acknowledges acknowledging
    acquisitive across act acted acting action actioned actions active actively activescott
    activities activity actual acute adalovelaceinstitute adapt adaptation adapted add added
    addicts addition additional additions address addressed addresses addressing adds adequate
    adequately adhere adheres adjustments admin administrator administrators admins adolescent
    adolescents adopt adopted adopter adopting adoption adoptive adopts adult adulthood
    adultification adults advance adversarial adversely advice advised advisers advises advising
    advocacy advocates afe affect affected affecting affects affiliation africa africadvocacy
    after again against age aged agencies agency agenda agent ages aggravated aggregated agile
    ago agree agreed agreeing agreement agreements agrees ahead ai aid aiethics aim aims ais al
    alarms alcohol alert alerted alerts algorithmic align aligned aligning alignment aligns all
    allegation allegations alleged allied allocated allocation allow allowance allowing
    allowlist allowlisted allows almost alone along alongside already also alt alter alternative
    alternatives although always am amazon ambient ambiguity ambitions ambitious amended
    amendments among amongst amount amounts amp an analogy analyse analysed analysis analytics
    and announced announcement announcements announces annual annually anonymised anonymous
    another answer answerable answers antenatal anti anticipating anxiety any anyone anything
    apart app apparently appear appeared appears applicable application applications applied
    applies apply appointed appointment appointments appoints appraisal apprenticeship
    apprenticeships approach approaches appropriate appropriately approval approved approves
    approximately apps april arboretum are area areas arising around arrangement arrangements
    arrested arrived arthur article articles articulate artificial as asia asian ask asked
    asking asks aspects aspirations aspx assault assertive asserts assess assessed assesses
    assessing assessment assessments assigns assist assistance assistant assistants assisted
    assistive associated associates association assume assumptions assurance assurances assure
    assured assures assuric assuring asylum at attached attaches attaching attachment attacks
    attainment attempts attend attendance attendances attended attendees attending attends
    attention attitudes attributable attributed audio audit audited auditing auditor auditors
    audits augmented august aunt authentication author authorisation authorise authoritatively
    authorities authority authors automated automatic automatically autonomy autumn availability
    available avenue average avoid avoids awaiting award aware awareness away aws babies baby
    back background backgrounds backlog backlogs backups bait balancing bands bank banking banks
    banner banners bar bare barnardo's barnardos barnet barriers base based baseline basics
    basis basket basw be became because become becomes becoming bed bedroom been before
    beginning begins behalf behaved behaviour behavioural behaviours behind being beliefs
    believe believed belongs below bels benchmark benefit benefits bereavement beside bespoke
    best better between bexley bexleysafeguardingpartnership beyond bf bi bias biases big
    binding binds birth black blamed blend block blocked blocking blocks blog blogs blogspot
    blue blunt board boards bodies body bonds booking bookings bookmark books boost born borough
    boroughs borrowed both bothering boulevard boundaries boundary box boy boys brackets
    bracknell branding breach breaches break breakdown breaking breaks breathing briefing
    briefings bright bring bringing brings bristol britain british brixton broad broadly
    brockley broke broken brokerage brother brought browsing bruise bruises bruising brute bscp
    bsg budget budgets build building built bullet bulletins bullying burden buses business
    businesses but by bypasses byte caches cafcass calculate calculated calculations calendar
    call called calling calls camberwell came campaign campaigns can can't canary candidates
    cannot cant capabilities capacity capital capped capture captured capturing car care cared
    career carefully carer carers cares caring carried carries carry carrying cascaded case
    caseload caseloads cases caspar categories categorised category catford causative cause
    caused causes causing caution caveats cba center central centre centred centres certain
    certainty certificate certificates ch chair chaired chairing chairs challenge challenges
    challenging champion championed champions chances change changed changes changing channel
    channels chapter chapters character characteristics characters charge charged charity
    charitydigital chart charting chat chatbot chats cheatsheets cheatsheetseries check checker
    checking checklist checks chi child childcare childhood childline childminder childminders
    childprotectionconferences children childrenas childrens choose choosing christmas chronic
    chronologies chronology chscp chunk churches cildrenas cin circulated citation citations
    cite cited cites citing city claim claiming claims clamgapbc clapham clarify class
    classified classifier classroomsecrets clear clearance clearances cleared clearly click
    climate clinic clinical clinicians clinics clip close closed closely closer clothes co
    coaching coastal code codesigned coerced coherent cohesion cohesive cohort coinciding coldly
    collaborate collaborates collaborating collaboration collaborative collaboratively collated
    colleague colleagues collected collection collections collective collectively college
    colleges colorful colour column com combination combined come comes comfortable coming
    commence commenced commend comment commentary commented commenting comments commission
    commissioned commissioners commissioning commissions commit commitment committed common
    commonly communicate communicated communication communications communities community
    comparable comparator compared comparison compassionate compatible competencies competency
    competent competently competition competitive compiled compiling complacent complaints
    complete completed completeness completes completion completions complex complexities
    complexity compliance compliant comply component comprehensive comprises compromises
    concentrate concern concerned concerns concerted concise concluded conclusion condemns
    condition conditions condom conducive conduct conducted conducting conducts conf conference
    conferences confidence confident confidential confidently config configured confirm
    confirmation confirmed confiscating conflict conforms confusable confused confusing
    connected connections consensus consent consequence consequences consider consideration
    considerations considered considering considers consist consisted consistency consistent
    consistently consists constant constantly constructive consult consultancy consultation cont
    contact contacted contacts contain container containing contains content contents context
    contexts contextual continue continued continues continuing continuity continuous
    continuously continuum contract contracted contractors contrast contribute contributed
    contributes contributing contribution contributions control controls conventions
    conversation conversion convicted convictions cooperate cooperation coordinate coordinated
    coordinates coordinating coordination cope copies copy core corporate corporately corpus
    correct correction correctly corrects correlation corridors cosleeping cost costs could
    council councils counselling count counts county coupled course courses court courts cover
    covered covering covers covert cp cpp cracks crash crawl creat create created creates
    creating creation creative creativity credentials crescent crime crimes criminal criminally
    crises crisis criteria criterion critical cross croydon croydonlcsb crucial crucially cs csa
    cscb cscp cspr cspr's cuckooing cultural culturally culture cumbriascp curiosity currency
    current currently curriculum custodial custody customers cut cutting cy cyber cybercrime
    cycle cypnow daily danger dangerous dark dashboard data database databases dataprivacy
    dataset date dated dates day days dcb de deal dealers dealing deals dealt death deaths debt
    debug debugging decade december decide decided deciding decision decisions declaration
    declared declined declines decrease decreased dedicated dedicates dedication deem deemed
    default define defined defining definition degree delay delayed delays delegate delegated
    delegates deleted deliberately delicate delimiters deliver deliverables deliverance
    delivered delivering delivers delivery demand demographics demonstrate demonstrates denied
    dental dentists deny department depend dependencies dependent deploying deployment
    depression deprivation deprived deptford depth deputise derby descent describe described
    describes description descriptions descriptive descriptors design designated designed
    designing desire desk desktop despite destination detail detailed details detained detected
    detection detective detector detectors detects determination determinations determine
    determined determines deterministic deterrence dev develop developed developer developers
    developing development developmental device devonchildcare devonscp dfe dfes dhirubhai
    diagnose diagnosis did die died dies differ difference differences different difficult
    difficulties digests digital digitalcarehub digitalconnect dignity dimensions direct
    directed direction directly directorate directors directory directs dirty disabilities
    disability disable disabled disaggregated disagree disagreement disagreements disagrees
    discharge disciplinary disclose disclosing disclosure discourages discovery discrepancy
    discriminated discrimination discuss discussed discussing discussion discussions disk
    disparities display disproportionality disproportionate disproportionately dispute disputes
    disqualified disruption disseminated disseminating dissemination dissent dissenting
    dissuasion distant distinct distinctive distributed distribution diverse diversity
    divisional diwali do doc docest docs docsbay doctor document documentation documented
    documents does doesn doing domain domains domestic don don't done dont door double doubt
    down download downloadable dp dpia dpias dpmdigitalhealth draft dramatic drawing drift drill
    drinks drive driven driver drives driving drop drug drugs dsl dsls due dulwich duplicated
    duplication duplications duration during duties duty dying dynamic dyslexia each ealing
    ealingfamiliesdirectory earlier earliest early easier easing east easter eastsussex easy ecp
    ed edge edited edition edits edtech educate education educational effect effective
    effectively effectiveness effects efficacy efficiency efficient efficiently effort efforts
    egfl egress ehc ehcp eid eight either elected electronic element elementor elements eligible
    eliminated else email emailed embarking embarrassed embed embedded embedding embraced emcrc
    emergencies emergency emerging emotional emphasis emphasise emphasises employability
    employed employee employees employer employing employment en enable enabled enables enabling
    encapsulated encoded encompass encompasses encourage encouraged encouraging encrypted end
    endeavour ended ending endorsed endpoint endpoints ends enduring energy enforced enforcement
    enforcers enforces engage engaged engagement engaging engineering england english enhance
    enhanced enhancements enhances enhancing enough enquiries enquiry enrolled ensure ensured
    ensures ensuring enter entered enterprise entire entirely entitlement entitlements entrants
    entry environment environmental environments episode episodes epjs equal equalities equality
    equates equipment equipped equitable equivalent era eradicating errors escalate escalated
    escalating escalation escalations escb especially esscp essential essentials establish
    established establishing establishment establishments estate esteem estimated estimates et
    etc ethical ethics ethnic ethnicity ethos europe evaluate evaluated evaluates evaluation
    evaluations evelina even evenly event events ever every everyone everything evidence
    evidenced evidences evident evlbot evolve exacerbated exact exactly exam examine examined
    examining example examples exceeded excellence excellent except exceptions excerpt excessive
    exchange excited exciting excluded exclusion exclusions executive executives exercise
    exercised exhaustive exist existed existent existing exists expand expanded expect expectant
    expectation expectations expected expects expenses experience experienced experiences expert
    expertise experts expire expires expiry explained explaining explains explanations explicit
    explicitly exploit exploitation exploited exploiters exploration explore explored explores
    exploring expose exposed extended extending extension extensive extent external externally
    extra extractions extracurricular extranets extreme extremism fabricated face faced faces
    facilitate facilitated facilitates facilitation facilitator facilities facing fact factor
    factors facts factual fail failed failing fails failure failures fairly fairness faith
    faithfulness fall fallback falling false familial familiar families family familylawweek
    fantastic faqs far farrer fatal father fatherhoodinstitute fathers favouring fdocuments fear
    feature features february fed feed feedback feeding feel feelings feet fell felt female
    fenced few fewer field fields fifth fight figure figures file files fill filled filling
    filter filtered filtering filters final financial find finding findings finds fine finish
    firearms fired fires first fitting five fixed flag flagged flags fleeing flexibility
    flexible flowchart flows fly flyers focus focused focuses focusing focussed focussing follow
    followed following follows food football footer footprint for force forced fore forensic
    forest foreword forge form formal formally format formed former formerly forms formulation
    fortnightly forum forums forward foster fostered fostering found foundation four fourth
    fractured fragmented frame framework frameworks framing framings fraud fraudsters free
    frequency frequent frequently friday friend friendly friends from front frontend frontline
    fueled fulfil fulfilling fulfils full fullest fully fun function functioning functions
    fundamentally funded funding funds further future gaia gain gained gaming gang gangs gap
    gaps gardens gates gateway gather gathered gathering gave gdpr genai gender general
    generated generation generative generic genital genuine geographical gestation get getstark
    gibberish girls github give given gives giving global globalgovernmentforum go goal goes
    going goke gold golden gone good goods google got gov govern governance governanceai
    governed governing government governor graded grades grandparent granted great greater
    greatest green grep grey groom groomed groundedness group groups grove grow growing grown
    growth guarantee guaranteed guardian guardians guess guidance guide guidelines guides
    guiding guilty guys had hair half hallucinated halve halved hand handle handled handles
    handling hands happen happening happens harassment hard hardship harm harmed harmful harming
    harmless harms harshly has hash hate have haven having hazard hazards head headed header
    headings headline heads healing health healthcare healthwatchdarlington healthy hear heard
    hearing heart heavily held hello hellodpo help helpandprotection helped helpful helping
    helplines helps her here heritage herne hey hflscp hi hidden high higher highest highlight
    highlighted highlighting highlights highly hill him his historic historical historically
    history hitherto hits hitting hkypzs hmg hobson hold holder holding holds holistic
    holistically home homeless homelessness homes homestartlambeth homogeneous honest honour
    hoping horror hospital hosted hostel hostile hosting hot hotspots hour hours house household
    households houses housing how however html htn http https hub hubs huge hughes human hunger
    hybrid hypotheticals i i'd i'll i'm i've ico icon id idea ideally ideation identical
    identifiable identification identified identifier identifiers identifies identify
    identifying identity if ignored ill illness illustration im image images immediate
    immediately immigration immunisations impact impacted impacting impacts impaired impending
    imperfect imperial implement implementation implemented implementing implications imply
    importance important importantly improper improve improved improvement improvements improves
    improving in inability inaccessible inaccuracies inaction inbox incidences incident
    incidents incl include included includes including inclusion inclusive income incomplete
    inconsistency inconsistent incorporate incorporated incorporating increase increased
    increases increasing increasingly incremental indecent indelible independence independent
    independently index indexed indexing indicates indications indicators indirectly individual
    individually individuals indoors induced induction industry inequalities inequality
    inequities inert infant infants inference inferred influence info inform informal
    information informational informative informed informing ingestion initial initially
    initiate initiated initiative initiatives injection injure injured injuries injury injustice
    innocent innovate innovated innovation innovative input inputs inputting insecure inside
    insight insights inspect inspection inspections inspector inspectors instances instead
    institutional institutions instruction instructions integral integrated integrating
    integration integrations integrity intelligence intelligent intended intends intensive
    intent intention inter interact interaction interactive interacts interest interface interim
    interlinked internal internally internship interplay interpret interpreters interpreting
    intersectional interval intervals intervene intervened intervention interventions interview
    interviewing interviews into intra intrafamilial intranets introduce introduced introducing
    introduction intrusive intuitive invent invented invest investigate investigated
    investigation investigations investigative investing investment invisible invited invoked
    involve involved involvement involves involving io iow ireland irh irrecoverably is
    islingtonscp isn isn't isnt isolation isort issue issued issues issuing it item items
    iteration its itself itv ive jailbreak jailbreaking january jmjs job join joined joining
    joint jointly journey judge judgement judgements judging juggling july june junior just
    justice justify jye kb keen keep keeping keeps kennedyslaw kennington kept key keyboard keys
    kid kill killed kind kings kingstonandrichmondsafeguardingchildrenpartnership knew knife
    know knowledge knowledgeable known knowsleyscb ku label labelled labinjo labs lack lacked
    laden lado lambeth lambethchildcare lambethsaferchildren lambethscb landing landlords
    landscape lane langfuse language languages large largely last lasting late latency later
    latest latter launch launched law lawful lawyers lay layer lbhf lead leaders leadership
    leading leads leaflet leaflets leak leaking learn learned learners learning learnings learnt
    least leave leavers leaves leaving led lee left legacy legal legality legislation
    legislative legitimate legs leisure length less lesser lesso lesson lessons level levels
    lewisham lewissilkin liability liaise liaises liaison licences licensed lies life lifecycle
    lifestyle lifetime light like liked likelihood likely limit limitation limitations limited
    limits line lines link linked links list listed listen listened listening listens listing
    lists literature little live lived lives living ll llm llmrisk local locality locally locate
    located location locations lockdown lockdowns locked log logged logging logo logout logs
    london londoncp londoncpp londonreviews londonsafeguardingchildrenprocedures long longer
    look looked looking loop loops lose losing lot low lower lowest lrsb lscb lscp machine
    macine made magic main mainly mainstream mainstreamed maintain maintained maintaining
    maintains maintenance major majority make makers makes makethingsaccessible making male
    maltreatment man manage managed management manager managers manages managing mandated
    mandates mandatory manifest manner mansions manslaughter manual manufacture manufactured
    many mapped mapping march marf margin marginal marginalised mark markdown marked marker
    market marketplace marks marriage marry masculinity mash mastonline match matches matching
    material materials maternal maternity mathematics matrix matter matters mature maudsley
    maximise may me meals mean meaning meaningful meaningfully means meant measurable measure
    measurement measurements measures measuring mechanism mechanisms media mediation medical
    medium meet meeting meetings meets member members membership memory men mental mention
    mentioned mentions mentoring merged message messages messaging met metadata method
    methodology methods metric metrics metropolitan mews mfa micro microsoft midwifery midwives
    might miles milestones mills mind mindful minding minimal minimisation minimise minimised
    minimums minor minoritised minority minute minutes mirror mirrored mishcon misinformation
    miss missed misses missing misspellings misunderstandings misunderstood misuse misused
    mitigate mitigated mitigation mitigations mitre mixed mobile mobility mock mode model models
    moderate moderation modern modes modifiability modifiable moment moments momentum monday
    money monitor monitored monitoring monitors month monthly months more most mostly mother
    mothers move moved movements moves moving much multi multiagency multifaceted multiple mum
    murder murdered murders must mutilation mutual my myth myths name named names naming
    narrative narratives narrowed nation national nationally nationwide natural nature navigate
    ncsc ncscs nearest nearly necessary necessitates need needed needing needs negatively
    neglect neglected neglectful negotiating neighbors neighbourhood neighbouring neighbours
    neonatal net nettitude network networking networks neurosurgical never new newer news
    newsletter newsletters next nhs nhse night no nobody noise nominated non none normalised
    normally north northsomersetsafeguarding northumberlandcs norwood not notable notably note
    noted notes nothing notice notices notifiable notification notifications notified notify
    noting novel november now nspcc nuisance number numbered numbering numbers nurse nurseries
    nursery objective objectives objectivity obligation obligations observable observations
    observed observer obtain occasional occurred occurring october of off offence offences
    offenders offending offer offered offering offerings offers office officer officers ofsted
    ofsteds often ok okay old older olds on once one ones ongoing online only ons onto onward
    onwards open opening openness opens operable operate operating operation operational
    operations operators opinions opportunities opportunity oppression oppressive opt optimal
    optimisation optimised option optional options or order orders ordinary ordinated ordinator
    org organisation organisational organisationally organisations organise organised
    organizations original orsopublishing ostracised other others otherwise our ourselves out
    outage outbound outcome outcomes outdated outline outlined outlines outlining output outputs
    outreach outside outstanding over overall overarching overcome overcrowded overlaps
    overlooked overnight overreliance overs overseas oversee overseeing overseen oversees
    oversight overview owasp owe own owner owners ownership owning ox oxford pace page pages
    paid paired pan pandemic panel panels panlondonthresholddocumentcontinuumofhelpandsupport
    pants paper papers paperwork parade paragraph paragraphs parallel parallelparliament
    paraphrased parent parental parenting parents park parkway parliament parliamentary part
    partially participant participants participate participating participation particular
    particularly parties partner partners partnership partnerships parts party pass passage
    passages passed passes passing password past paste path pathway pathways patient patients
    patrols pattern patterned patterns payload payment payments peak peckham peer pending
    penetration people per percentage percentages perception perceptions performance performed
    performing perhaps perinatal period periods permanence permanency permanent permission
    permissions perpetrators persistent person persona personal personnel persons perspective
    perspectives pertaining phase phishing phone photograph phrases physical pick picture pieces
    pilot piloting pinned pipeline pivotal pixels place placed placeholder placeholders
    placement placements places placing plain plainly plan planned planning plans platform
    platforms play playbook played playpen plays please pleased pledges pls plus podcast
    podjoint poem point pointing points poisoning police policies policing policy polite
    political poor poorly population portal pose posed poses position positioned positive
    positively positives possession possibility possible possibly post postcodes posted posters
    posting postnatal posts potential potentially poverty power powerful practicable practical
    practice practices practitioner practitioners pre preamble precision predefined predictions
    predictive predominantly pregnancy pregnant prejudice prematurity premise premises
    preparation preparing prescriptive presence present presented presenting presents presidio
    press pressing pressure pressures presumably pretend preterm prevail prevalence prevalent
    prevent preventative preventing prevention prevents previous previously primary principle
    principles prior priorities prioritise prioritised prioritises prioritising prioritize
    prioritizes priority prison privacy privacydesign private privately privileges prize
    proactive proactively probabilities probably probes problem problems procedural procedure
    procedures proceduresonline proceed proceedings process processed processes processing
    processor procores procuring produce produced produces product production products profess
    profession professional professionals profile profiling programme programmes programs
    progress progressed progressing progression prohibiting project projects promote promoted
    promotes promoting promotion promotional prompt promptly prompts properly properties
    proportion proportionate proportionately proposal proposals proposed prostitution prot prote
    protect protected protecting protection protocol protocols proven provide provided provider
    providers provides providing provision provisioning provisions provoking pseudonymous psyche
    psychologist psychology public publication publications publicisation publicise publicised
    publish published publisher publishers publishes publishing pull pulled pulse pupil pupils
    purpose purposeful purposes push put puts putting puzzling qt qualified qualitative quality
    quantitative quarantined quarter quarterly quarters question questionnaire questions quick
    quicker quickly quicktabs quintile quintiles quite quotation quotations quoted quoting race
    racial racialised racially racism racist radicalisation rag ragas raise raised raises
    raising ramadan ramblefeed ran random range ranked ranking rankings rape rapid rare rate
    rated rates rather ratified rating rationale raw rbkc rcpch re reach reachable reached
    reaches reaching read readable reader readily reading ready reaffirmed real realise
    realistic realities really reason reasonable reasons reassurance reassures recall recalled
    receive received receives receiving recent recently reception receptionists recheck rechecks
    recognise recognised recognises recognising recognition recognized recommend recommendations
    recommended recommending recommissioning reconfigured reconstruct reconstruction record
    recorded recording records recourse recovery recruit recruited recruiting recruitment
    recurring red redact redacted redaction redesign redesigning reduce reduced reduces reducing
    reduction reengage reeve refer reference references referencing referral referrals referred
    referrer referrers referring refers refine reflect reflected reflection reflections
    reflective reflects reflow reflows reforms refresh refreshed refresher refreshments refusal
    refusals refused refuses regarding regardless regards region regional register registered
    registers registration regression regular regularly regulation regulations regulator
    regulators regulatory rehabilitate reimbursement reinforce rejected rejection rejects
    related relating relation relational relationship relationships relative release released
    relentless relentlessly relevance relevant reliably reliance relied relies religion
    religious religiously reluctance reluctant rely relying remain remained remaining remains
    remand remarkable remember remind reminded reminder remit remote removals remove removed
    removing rendered renew renewal renewals repeat repeated repeats replace replaced
    replacement replaces replacing replies reply report reported reporticaai reporting reports
    represent representation representative representativeness representatives represented
    representing reproduced reproducing reproduction reproductive request requested requesting
    requests require required requirement requirements requires requiring res research
    researched reside resided residence resident residential residents residing residual
    resilience resist resistant resolution resolve resolved resolving resource resources
    resourcing respected respecting respective respectively respite respond responded
    respondents responding responds response responses responsibilities responsibility
    responsible responsive rest restate restates restorative restricted restriction restrictions
    rests result resulted results retain retained retains retention retrained retrievable
    retrieval retrieve retrieved retrieves retrofit retrofits return returned returns review
    reviewed reviewer reviewers reviewing reviews revised revising revisited reword right rights
    rigorous rigour ringsafe rip ripple rise risen risk risks risky road robberies robbery
    robotics robust rogue role roles rolled rolling rollout rolls room rota rotation rough round
    rounded route routed routes routine routinely row rows rubber rules run runbook rung runs
    rural sad sadly safe safeguard safeguarded safeguardin safeguarding safeguardingbedfordshire
    safeguardingbedfordshiretraining safeguardingcambspeterborough safeguardingchildren
    safeguardinglewisham safeguardingpolicies safeguardingsheffieldchildren safeguards safely
    safer saferchildren safety said salaries sales same sample sanctuary sandbox sanitisation
    sanitised satisfaction satisfied saturday saved saving saw say says scale scaling scammers
    scan scanning scans scene sch schedule schema scheme school schools schoolsweek scie scope
    score scores scotland screen screening screens scribe scribes scribing script scripts
    scrutineer scrutinise scrutinised scrutinising scrutiny sea search sec second secondary
    secrets section sections sector sectors secure secured securing security see seek seekers
    seeking seem seen sees seftonlscb seftonscp segregate selected selection self semi semitic
    senco send sendco senior seniors sense sensitive sensitively sent sentence sentences
    separate separates september sergeant series serious seriously serve served server serves
    service services session sessions set sets setting settings settle settled seven several
    severe severely sex sexual sexualised sexually shape shaped shapes shaping share shared
    shares sharing sharper sheet shift shines shirt short shorter should show showed showing
    shown shows siblings side sight sign signed significant significantly signifiers signposting
    signposts signs silence silent silently similar simmons simplified simply since single sink
    sister sit site sites situation situations six sixth skadden skill skilled skills skzq slang
    slavery sleep sleeping slide slight slightly slow small smaller smart smoked smoking smooth
    snagging so social socialworktoday societies society socioeconomic sofa software solicitors
    solutions solve solving sombre some someone something sometimes soon sooner sort sought
    source sources southwark southwarkcs space spaces span spans speak speaking speaks special
    specialised specialist specific specifically specification specified speech spent spike
    split splits spoke spoken spot spotlight spotting spreadsheet spreadsheets sql squalid
    square squeezed st stabilisation stability stable staff staffing stage stages staging
    stakeholder stakeholders stalking stamping stand standalone standard standardised
    standardization standards stands star start started starters starts state stated statement
    statements states stating stationery statistical statistics status statutory stay staying
    stays steady steering step stepdad stepfather stepped steps stereotyped stereotyping
    sthelens stick sticky still stimulating stimulation stipulates stockwell stoneking stop
    stopped stops storage store stored stores story straight strand strands strangers strategic
    strategically strategies strategy streamed streaming streamline streatham street strength
    strengthen strengthened strengthening strengthens strengths stress stresses strides string
    striving strong stronger strongly structural structure structured structures struggled
    student students studies study studying studylib style styles sub subgroup subgroups subject
    subjects submit submitted subsequent subsequently substance substantially substantiated
    substantive succeed success successes successful such sudden sued suffer suffering
    sufficiency sufficient sufficiently suggested suggesting suggests suicidal suicide suitable
    summaries summarise summarised summarises summarising summary summer summit sunday
    superseded supervision supervisor supervisors supplier suppliers supplies support supported
    supporting supportive supports suppress sure surface surgeries survey surveyed surveys
    survivors suspect suspected suspects suspend suspended suspicion suspicious
    sussexchildprotection sustain sustainable sustained sutton suttonlscp sweep swiftly switch
    sydenham sympathetic sync synced synergies system systemic systems table tables tackle
    tackling tactical tactics tag tags take taken takes taking talk talks tamper tangible target
    targeted targeting targets task tasked tasking tasks taught teacher teachlambeth teachmateai
    team teaming teams tech technical technology telecommunication telephone tell telling tells
    template templates temporary ten tenancies tenancy tenet tensions term terminology termly
    terms terrace test testable tested testing tests tetralogical text th than thank thanks that
    the thebarnetscp theft theglobalpractice their them thematic theme themes themselves then
    therapeutic therapist there therefore these they thin thing things think thinking thinks
    third thirdspacelearning this thomas thorough thoroughness those though thought thoughts
    thousands thread threat threatening threats three threshold thresholds thrive throttled
    through throughout throughput thursday thus tick ticket tier tiers time timed timelier
    timeliness timely times timescale timescales timestamp timetable tiny tips title titled
    titles to today toddler together token tokens told tolerance tolerant too tool toolkit
    toolkits tools top topic topics topps total totalled totalling touches towards town toys
    traceability track tracked tracker tracking tracks trade traders tradesmen trafficked
    trafficking tragedies tragedy tragic tragically train trained trainer trainers training
    transcribing transcription transfer transferred transform transformation transit transition
    transitional transitioned transitioning transitions translate translated translating
    transparency transparent transport trap trauma treat treated treatment treats trend trends
    triage triaged triangulated tricks tried triggered triggers trixcms trixonline troubled true
    truly trust trusted trustees trusts try trying tuesday tulse tune tuned turn turnover twelve
    twice two type typed types typical typos uk ul ultimate unable unacceptable unaccompanied
    unaffected unanswerable unauthorised unavailable unborn uncertain uncertainty uncle unclear
    undated under underachievement underestimate undergoing undergone underpin underreporting
    underscores understand understanding understood undertake undertaken undertaking undertook
    underway unevidenced unexpected unfounded uniform unintended unintentionally unique uniquely
    unit units unityinsights universal university unknown unless unmet unpublished unregistered
    unresolved unsafe unsubstantiated unsuitable unsupervised unsupported unsure unsustainable
    until untrusted unusual unwanted unwell up update updated updates upholding uplift uploaded
    upon ups upset uptake upward urban urgent urgently us usage use used useful user users uses
    using usual usually uterine utilisation utilise utilised utilises vacancy vaccination vale
    validate validated validating validation validity value valued values variants variations
    variety various vary vast vauxhall ve vector vehicle vendor verbal verbatim verdict
    verification verified verify version versioned versions very via viability viable victim
    victimisation victimisations victims video videos view views vignette violence violent
    virtual virtually virtue visibility visible visibly vision visited visiting visitor visitors
    visits vital voice voices volume volumes voluntary volunteers vs vulnerabilities
    vulnerability vulnerable vuqee wait waiting wales walk walkthrough want wanted wanting wants
    wards warned warning warnings warns warrant was waterloo way ways wcag we weak weakness
    weaknesses wearebarnsley wearing weaviate web webi website websites wednesday week weekly
    weeks weigh weighed welcome welfare well wellbeing went were west westmidlands what whatever
    whats when where whereabouts whereby whether which whichever while whilst whistleblowing
    white who whole whom whose why wide widely widens wider widespread width will winner wins
    wish wishes with withdraw withdrawn withheld within without witnessconfident witnesses woman
    women won't wont wooden wording words wordsworth work worked worker workers workflow
    workforce working workload works workshop workshops worried worse worth would woven write
    writer writes writing written wrong wrote wscp www xx xyz yard year yearly years yes yet
    yielded yjlc ykpqy you young younger your youth youths yrs zero zkyoqp zoom
    """.split()  # noqa: SIM905
)
