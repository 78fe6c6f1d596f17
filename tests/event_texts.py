"""Texts written for the tests of memory across days: a bank robbery in Kelso
(day one), its retelling by another outlet, its follow-up (two men charged,
the next day), and another armed robbery of a bank in Galashiels on day two,
which reads much like the first one but is another event. Then a football
club's offer to a free agent (day one), his acceptance of it (day two), and
another club's offer to the same player (day two): close in words to the
first offer, about other people."""

from __future__ import annotations

from digest.models import Article

ROBBERY = Article(
    title="Armed men rob Harbour Street bank in Kelso",
    text="Two armed men robbed the Northern Savings bank on Harbour Street in Kelso on Tuesday, March 3, "
    "2026, escaping with about 40,000 pounds in cash. Police said the men threatened staff with a "
    "shotgun before driving off in a stolen grey van. No one was injured. Detective Inspector Moira "
    "Lennox appealed for witnesses who saw the van on the Kelso bypass.",
    language="en",
    url="https://borders.example/kelso-raid",
    outlet="Borders Post",
)
RETOLD = Article(
    title="Shotgun raid on Kelso bank",
    text="Police in Kelso are hunting two men who held up staff at the Northern Savings branch on Harbour "
    "Street with a shotgun on Tuesday, March 3, 2026, and fled with around 40,000 pounds. Nobody was "
    "hurt. Detective Inspector Moira Lennox asked anyone who saw a grey van near the Kelso bypass to "
    "come forward.",
    language="en",
    url="https://tweed.example/kelso-shotgun",
    outlet="Tweed Times",
)
CHARGED = Article(
    title="Two charged over Kelso bank raid",
    text="Two men have been charged over the armed robbery at the Northern Savings bank on Harbour Street "
    "in Kelso, police said on Wednesday, March 4, 2026. Gary Rennie and Stuart Bell were arrested at "
    "a farm near Jedburgh, where officers found the stolen grey van and a sawn-off shotgun. "
    "Detective Inspector Moira Lennox said that most of the money had been recovered from a hay "
    "loft. The pair will appear at Selkirk Sheriff Court on Thursday morning.",
    language="en",
    url="https://borders.example/kelso-charged",
    outlet="Borders Post",
)
OTHER_ROBBERY = Article(
    title="Armed men rob Channel Street bank in Galashiels",
    text="Three masked men robbed the Border Mutual bank on Channel Street in Galashiels on Wednesday, "
    "March 4, 2026, escaping with about 25,000 pounds in cash. Police said the men threatened a "
    "cashier with a knife before driving off in a black car. A customer was treated for shock. "
    "Detective Sergeant Alan Pryde appealed for witnesses who saw the car on the Galashiels ring "
    "road.",
    language="en",
    url="https://tweed.example/galashiels-raid",
    outlet="Tweed Times",
)
OFFER = Article(
    title="Hartpool Rovers offer Tomas Varga a four-year deal",
    text="Hartpool Rovers have offered midfielder Tomas Varga a four-year contract worth 12 million pounds, "
    "the club's chairman Ian Mabbott said on Monday. Varga, 27, is a free agent after leaving Porto in "
    "the summer. Mabbott said Hartpool Rovers wanted an answer by the end of the week. Hartpool Rovers "
    "finished fourth last season and have been looking for a midfielder since January.",
    language="en",
    url="https://sport.example/hartpool-varga",
    outlet="Sport Daily",
)
OTHER_OFFER = Article(
    title="Castlebridge United make offer to Tomas Varga",
    text="Castlebridge United have offered midfielder Tomas Varga a three-year contract, manager Owen "
    "Delaney said on Tuesday. Varga, 27, left Porto in the summer. Delaney said Castlebridge United "
    "had watched him for two years. Castlebridge United, promoted in May, have already signed two "
    "defenders and a goalkeeper.",
    language="en",
    url="https://ball.example/castlebridge-varga",
    outlet="Ball Weekly",
)
SIGNED = Article(
    title="Tomas Varga accepts Hartpool Rovers offer",
    text="Tomas Varga has accepted the four-year contract offered by Hartpool Rovers, chairman Ian "
    "Mabbott said on Tuesday. The 27-year-old midfielder, a free agent since leaving Porto, will have "
    "a medical on Wednesday. Mabbott said Hartpool Rovers had beaten two other clubs to the "
    "signing. Varga is expected to play for Hartpool Rovers on Saturday.",
    language="en",
    url="https://sport.example/varga-accepts",
    outlet="Sport Daily",
)
