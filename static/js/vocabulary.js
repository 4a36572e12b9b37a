// Live features are encoded once for every screen, in the sender's language; the page
// relabels their codes in its own language from the vocabularies rendered with it.
const element = document.getElementById("vocabularies-data");
const vocabularies = element ? JSON.parse(element.textContent) : {};

export function localise(layerName, feature) {
  const vocabulary = vocabularies[layerName];
  if (!vocabulary || !feature) return feature;
  for (const [field, { from, labels }] of Object.entries(vocabulary)) {
    const label = labels[feature[from]];
    if (label) feature[field] = label;
  }
  return feature;
}
