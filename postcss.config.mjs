// Tailwind 4 through PostCSS; Next looks for this file at the project root.
const config = { plugins: { "@tailwindcss/postcss": {} } };

export default config;
