// KPI board: one small chart per figure that has a series.
for (const card of document.querySelectorAll("[data-kpi]")) {
  const data = document.getElementById(card.dataset.kpi);
  const canvas = card.querySelector("canvas");
  if (!data || !canvas) continue;
  const series = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: series.length > 14 ? "line" : "bar",
    data: {
      labels: series.map(([label]) => label),
      datasets: [{ data: series.map(([, value]) => value), borderColor: "#0b6e4f", backgroundColor: "rgba(11,110,79,0.35)", pointRadius: 0, tension: 0.25, fill: true }],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true } } },
  });
}
