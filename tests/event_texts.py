"""Texts written for the tests of memory across days: a bank robbery in Kelso
(day one), its retelling by another outlet, its follow-up (two men charged,
the next day), and another armed robbery of a bank in Galashiels on day two,
which reads much like the first one but is another event."""

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
