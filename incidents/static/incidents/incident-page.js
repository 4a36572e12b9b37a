// The incident's own page: its small map; the forms post as ordinary forms.
import { mountMinimap } from "./incident-detail.js";

mountMinimap(document);
