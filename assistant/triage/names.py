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
    aaliyah aaron abdi abdul abdullah abdullahi abel abigail abimbola ada adam adaeze adama
    adebayo adeola adil aditya adnan adrian adriana adwoa afia agnieszka ahmad ahmed aidan
    aiden aimee aisha aishah aiyana akash akosua alan albert alejandro aleksander alex
    alexa alexander alexandra alexis alfie ali alice alicia alina alisha alishba alya alyssa
    amaal amaka amal amanda amara amari amaya amber amelia amelie amina amir amira amit amy
    ana anastasia andre andrea andrei andrew aneesa angel angela angelina ania anika anil
    anisa anita anjali ann anna annabelle anne annie ansel anthony antonio anya arash archie
    ari aria ariana arjun arlo arnav aron arthur arya asad asha ashley ashton asif asma aston
    aurora austin ava avery ayaan ayan ayesha ayla ayo ayodele ayomide ayub aziz bailey
    barbara barry bartosz beatrice bella ben benjamin bethany bilal billy blessing bobby
    bogdan bonnie brandon brayden brian britney brooke bryony caitlin caleb callum cameron
    camila carl carla carlos carmen caroline carter casey cassie catherine cerys chantelle
    charles charlie charlotte chelsea chidi chiamaka chinedu chioma chloe chris christian
    christina christopher chukwuemeka ciara cian claire clara cody colin connor conor corey
    courtney craig cristian cristina daisy dakota damian damilola damon dan dana daniel
    daniela daniella danielle danny dante daria darius darnell darren dave david dawit dawn
    dean declan deepak demi denise dennis derek desmond destiny devon dexter dhruv diana
    diego dilan dimitri dina dominic dominika donna dylan ebony eddie eden edward efe
    eileen elaine eleanor elena eli elias elif elijah elisa eliza elizabeth ella elle ellie
    elliot elliott eloise elsa emanuel emeka emilia emily emma emmanuel enzo eric erin
    ermias esme esther ethan eva evan evelyn ewa ezra fabian faisal farah faris fatima
    fatuma femi fernando filip finlay finley finn fiona florence folake francesca francis
    freddie freya funmi gabriel gabriela gabriella gareth gary gavin gemma george georgia
    georgina gerald giorgio giovanni gloria gordon graham gregory habib hafsa hamza hana
    hannah hanna haris harley harper harriet harrison harry harvey hasan hassan hayden
    hayley hector helen henry hibaq hira hodan hollie holly hugo hussain hussein ian ibrahim
    idris ifeoma ikram ilyas imani iman imogen inaya ines ioana irene iris isaac isabel
    isabella isabelle isaiah isha ishaan ismail isra ivan ivy iyanu jack jackson jacob jade
    jaden jaiden jake jakub jamal jamar james jamie jamila jane janet jasmine jason jaxon
    jay jayden jaylen jayla jayson jeffrey jenna jennifer jeremiah jeremy jerome jessica
    jesus jo joanna joanne jodie joe joel john johnny jonah jonathan jordan jorge jose
    joseph josh joshua josiah joy joyce juan jude julia julian juliet julius junior justin
    kacper kadeem kai kaiden kamal kamila karen karim karina karl karolina kate katie
    kayden kayla keira keith kelly kemi kenneth kerry kevin khadija khalid kian kiara kieran
    kim kimberley kira kofi kwabena kwame kwasi kyle kyra lacey laila lamar lana lara laura
    lauren layla leah lee leila leo leon leona levi lewis liam lila lilly lily lina lisa
    logan lola lorenzo louie louis louise luca lucas lucia lucy luis luka lukas luke lydia
    lyla maame mackenzie madison maisie maja malachi malak malik manuel marcel marcus maria
    mariam marie marina mario marisa mark marta martha martin mary maryam mason mateo
    matilda matteo matthew maya megan mehmet melissa mercy mia michael michaela michelle
    miguel mikael mikayla mila miles milan millie mira miriam mohamed mohammad mohammed
    mohamud molly monica morgan moses muhammad muhammed musa mustafa naomi nasra natalia
    natalie natasha nathan nathaniel neil nia nicholas nicola nicole nikita nikola nina
    niamh noah noor nora nuala nuhu obinna oladipo olamide oliver olivia ollie olu oluwadamilare
    oluwaseun oluwatobi omar omari oscar osman owen ozan paige pamela patrick paul paula
    pawel peter philip phoebe piotr poppy precious preston priya rachel rafael rahim rahul
    raheem rania rashid rayan reece rebecca reggie reuben rhys ricardo richard ricky riley
    rio rita robert roberto robyn rocco roman ronan ronnie rory rosa rosie ross roxanne ruby
    rukhsana ryan sabrina sadia safa safiya sahra saif salma sam samantha samir samira
    samson samuel sandra sani santiago sara sarah scarlett sean sebastian semira seren
    shabnam shakira shane shannon sharon shauna shawn sheila shelby shereen shola sian
    sienna simon simone skye sofia sonia sophia sophie stanley stefan stella stephanie
    stephen steven stuart sultan sumaya summer susan suzanne sydney sylvia tamara tamika
    tanisha tanya tara tasha taylor temi teodora teresa terry theo theodore thomas tia
    tiago tiana timothy tina tobi tobias toby tom tomas tommy tony tremaine trinity tunde
    tyler tyrese tyrone umar usman uzma valentina vanessa veronica victor victoria vikram
    vincent violet wiktoria wojciech wyatt xavier yara yasmin yasmine yaw yousef yusuf
    yusra zac zach zachary zahra zain zainab zak zara zayn zayne zeynep zoe zofia zuzanna
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
