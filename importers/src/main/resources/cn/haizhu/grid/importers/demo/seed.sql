-- the random draws of the history follow from the generator's seed (setseed takes -1..1)
SELECT setseed(?)
