"""Name lists for personal-data detection (no model).

``FIRST_NAMES`` is a broad gazetteer of given names common among children and families in
London (English, Irish, Caribbean, West and East African, South Asian, Arabic, Turkish,
Eastern and Southern European). A known first name followed by a capitalised word is taken
as a full name; a known first name on its own is redacted too, unless it is also an
everyday English word (``AMBIGUOUS_FIRST_NAMES``), when it needs a surname or context.

``PUBLIC_FIGURES`` are people named in the corpus documents in their public role (chairs,
directors, scrutineers). They are not redacted so questions about the documents still work.
Add a name here only when it appears in a published corpus document.
"""

from __future__ import annotations

FIRST_NAMES: frozenset[str] = frozenset(
    """
    aaliyah aaron abdi abdul abdullah abdullahi abel abigail abimbola ada adaeze adam adama
    adebayo adeola adil aditya adnan adrian adriana adwoa afia agnieszka ahmad ahmed aidan
    aiden aimee aisha aishah aisling aiyana akash akosua alan albert alejandro aleksander
    alex alexa alexander alexandra alexis alfie ali alice alicia alina alisha alishba alya
    alyssa amaal amaka amal amanda amara amari amaya amber amelia amelie amina amir amira
    amit amy ana anastasia andre andrea andrei andrew aneesa angel angela angelina ania
    anika anil anisa anita anjali ann anna annabelle anne annie ansel anthony antonio anya
    aoife arash archie ari aria ariana arjun arlo arnav aron arthur arya aryan asad asha
    ashley ashton asif asma aston aurora austin ava avery ayaan ayan ayesha ayla ayo ayodele
    ayomide ayse ayub aziz bailey barbara barry bartosz beatrice bella ben benjamin bethany
    bilal billy blessing bobby bogdan bongani bonnie brandon brayden brian britney brooke
    bryony burak caitlin caleb callum cameron camila caoimhe carl carla carlos carmen
    caroline carter casey cassie catherine cerys chantelle charles charlie charlotte chelsea
    chiamaka chidi chinedu chioma chipo chloe chris christian christina christopher
    chukwuemeka cian ciara ciaran claire clara clodagh cody colin connor conor corey
    courtney craig cristian cristina daisy dakota damian damilola damon dan dana daniel
    daniela daniella danielle danny dante daria darius darnell darren dave david dawit dawn
    dean declan deepak deepika demi denise dennis derek desmond destiny devon dexter dhruv
    diana diego dilan dimitri dina dominic dominika donal donna dylan eamon ebony eddie eden
    edward efe eileen elaine eleanor elena eli elias elif elijah elisa eliza elizabeth ella
    elle ellie elliot elliott eloise elsa emanuel emeka emilia emily emma emmanuel emre enzo
    eoin eric erin ermias esme esther ethan eva evan evelyn ewa ezra fabian faisal farah
    faris fatima fatma fatuma femi fernando filip finlay finley finn fiona florence folake
    francesca francis freddie freya funmi gabriel gabriela gabriella gareth gary gavin gemma
    george georgia georgina gerald giorgio giovanni gloria goncalo gordon graham grainne
    gregory habib hafsa hamza hana hanna hannah haris harley harper harriet harrison harry
    harvey hasan hassan hayden hayley hector helen henry hibaq hira hodan hollie holly hugo
    hussain hussein ian ibrahim idris ifeoma ikram ilyas iman imani imogen inaya ines ioana
    irene iris isaac isabel isabella isabelle isaiah isha ishaan ismail isra ivan ivy iyanu
    jack jackson jacob jade jaden jaiden jake jakub jamal jamar james jamie jamila jane
    janet jasmine jason jaxon jay jayden jayla jaylen jayson jeffrey jenna jennifer jeremiah
    jeremy jerome jessica jesus jo joanna joanne joao jodie joe joel john johnny jonah
    jonathan jordan jorge jose joseph josh joshua josiah joy joyce juan jude julia julian
    juliet julius junior justin kacper kadeem kai kaiden kamal kamila karen karim karina
    karl karolina katarzyna kate katie kayden kayla keira keith kelly kemi kenneth kerem
    kerry kevin khadija khalid kian kiara kieran kim kimberley kira kofi krzysztof kwabena
    kwame kwasi kyle kyra lacey laila lamar lana lara laura lauren layla leah lee leila leo
    leon leona levi lewis liam lila lilly lily lina lisa logan lola lorenzo louie louis
    louise luca lucas lucia lucy luis luka lukas lukasz luke lydia lyla maame mackenzie
    madison mairead maisie maja malachi malak malgorzata malik manuel marcel marcus maria
    mariam marie marina mario marisa mark marta martha martin mary maryam mason mateo
    mateusz matilda matteo matthew maya megan mehmet melissa mercy mia michael michaela
    michelle miguel mikael mikayla mila milan miles millie mira miriam mohamed mohammad
    mohammed mohamud molly monica morgan moses muhammad muhammed musa mustafa naomi nasra
    natalia natalie natasha nathan nathaniel neil ngozi nia niamh nicholas nicola nicole
    nikita nikola nina njeri noah noor nora nuala nuhu obinna oisin oladipo olamide oliver
    olivia oliwia ollie olu oluwadamilare oluwaseun oluwatobi omar omari orla oscar osman
    owen ozan padraig paige pamela patrick paul paula pawel peter philip phoebe piotr poppy
    precious preston priya rachel rafael raheem rahim rahul rania rashid rayan rebecca reece
    reggie reuben rhys ricardo richard ricky riley rio rita robert roberto robyn rocco rohan
    roisin roman ronan ronnie rory rosa rosie ross roxanne ruby rukhsana ryan sabrina sadia
    safa safiya sahra saif salma sam samantha samir samira samson samuel sandra sani sanjay
    santiago saoirse sara sarah scarlett seamus sean sebastian semira seren shabnam shakira
    shane shannon sharon shauna shawn sheila shelby shereen shola sian sienna simon simone
    sinead siobhan skye sofia sonia sophia sophie stanley stefan stella stephanie stephen
    steven stuart sultan sumaya summer susan suzanne sydney sylvia szymon tamara tamika
    tanisha tanya tara tasha taylor temi tendai teodora teresa terry thabo theo theodore
    thomas tia tiago tiana timothy tina tobi tobias toby tolu tom tomas tommy tony tremaine
    trinity tunde tyler tyrese tyrone umar usman uzma valentina vanessa veronica victor
    victoria vikram vincent violet wanjiru wiktoria wojciech wyatt xavier yara yasmin
    yasmine yaw yousef yusra yusuf zac zach zachary zahra zain zainab zak zara zayn zayne
    zeynep zoe zofia zuzanna
    """.split()  # noqa: SIM905
)

AMBIGUOUS_FIRST_NAMES: frozenset[str] = frozenset(
    """
    amber angel april austin bailey bill billy blessing bobby carter chase chelsea chris
    dakota dan dawn destiny eden faith florence grace guy harley harper hope iris ivy jack
    jade jay jordan joy junior justin kim lee leo lily mark mason may mercy miles milan
    morgan nathan paige poppy precious preston rio robin rocco roman rose ruby sam skye
    summer sydney taylor terry tia tom tony trinity victor victoria violet will
    """.split()  # noqa: SIM905
)
"""Given names that are also English words or places; on their own they are not redacted."""

SURNAMES: frozenset[str] = frozenset(
    """
    abara abdi abdullahi achieng adebayo adeleke adeyemi afolabi agyeman ahmadi akhtar
    akinola akram alam ali amin ansah appiah asante awolowo azad babatunde bakare banerjee
    begum bello d'souza dsouza bhatt bibi boateng chaudhry chaudhary chowdhury choudhury
    danso dlamini
    eze ezeh farah gonzalez grewal gupta hassan hossain hussain hussein ibrahim iqbal
    iyer jalloh joshi kamara kapoor kaur kaya khalid khan khatun kowalski kowalska kumar
    lewandowski lewandowska malik mensah miah mohamud mohammed mukherjee mwangi nowak nwankwo
    nwosu obi odhiambo ogunleye okafor okeke okonkwo okoro oladipo olawale oluwole omar osei
    otieno owusu patel qureshi rahman rashid reddy rodriguez sahin santos sarpong shah sharma
    siddiqui singh sokolov sultana suleiman uddin ullah wisniewski wisniewska wojcik yadav
    yilmaz yusuf zielinski
    """.split()  # noqa: SIM905
)
"""Family names common in London that are not English words: redacted on their own, in any
case ("begum 12.05.2012"). Everyday words (Smith, Brown, Young…) are left to the name rules."""

PUBLIC_FIGURES: tuple[str, ...] = (
    "Jim Gamble",
    "Stephen Kitchman",
    "Nicky Pace",
    "David Goosey",
    "Andrew Carter",
    "Carlene Firmin",
    "Mark Peel",
    "Pauline Cross",
    "Maureen Gabriel",
    "Nikki Thorpe",
    "Geeta Subramaniam",
    "Andrew Zachariades",
    "Deborah Carter",
    "Siobhan Burns",
)
"""Public office-holders named in corpus documents; never redacted (documented allowlist)."""

PROTECTED_TERMS: tuple[str, ...] = (
    "Brighter Beginnings",
    "Signs of Safety",
    "Home-Start",
    "Gaia Centre",
    "King's College Hospital",
    "Kings College Hospital",
    "King's College London",
    "Evelina London",
    "South London and Maudsley",
    "Guy's and St Thomas'",
    "St Thomas' Hospital",
    "St Thomas Hospital",
    "St Giles Trust",
    "Operation Encompass",
    "Was Not Brought",
    "Lambeth Made Safer",
    "Roadmap to Excellence",
    "Working Together",
    "Early Help",
    "Family Group Conference",
    "Family Group Conferencing",
    "Child Death Overview Panel",
    "Keeping Children Safe in Education",
    "Mockingbird",
    "Barnardo's",
)
"""Programme, service and organisation names from the corpus that look like names or schools."""
