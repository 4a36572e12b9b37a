// Charts of the lighting board, drawn from the figures the page embeds.
const data = JSON.parse(document.getElementById("lighting-chart-data").textContent);
const labels = JSON.parse(document.getElementById("lighting-chart-labels").textContent);
const style = getComputedStyle(document.documentElement);
const accent = style.getPropertyValue("--brand").trim() || "#0b6e4f";
const muted = "#9ca3af";

new Chart(document.getElementById("energy-chart"), {
  type: "bar",
  data: {
    labels: data.months,
    datasets: [
      { label: labels.consumed, data: data.consumed, backgroundColor: accent },
      { label: labels.baseline, data: data.baseline, backgroundColor: muted },
    ],
  },
  options: { responsive: true, animation: false, scales: { y: { beginAtZero: true } } },
});

new Chart(document.getElementById("renovation-chart"), {
  type: "line",
  data: {
    labels: data.renovation.map((row) => row[0]),
    datasets: [
      {
        label: labels.led,
        data: data.renovation.map((row) => row[1]),
        borderColor: accent,
        pointRadius: 0,
        fill: false,
      },
    ],
  },
  options: { responsive: true, animation: false, scales: { y: { beginAtZero: true } } },
});
