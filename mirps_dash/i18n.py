"""Spanish and English: every string the app shows, and numbers, dates and country names by locale."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

LANGS = ("es", "en")
DEFAULT_LANG = "es"

STRINGS: dict[str, dict[str, str]] = {
    # frame
    "app_title": {"es": "Tablero MIRPS", "en": "MIRPS Dashboard"},
    "app_subtitle": {
        "es": "Marco Integral Regional para la Protección y Soluciones",
        "en": "Comprehensive Regional Protection and Solutions Framework",
    },
    "language": {"es": "Idioma", "en": "Language"},
    "page_overview": {"es": "Panorama regional", "en": "Regional overview"},
    "page_displacement": {"es": "Desplazamiento", "en": "Displacement"},
    "page_country": {"es": "País", "en": "Country"},
    "page_plans": {"es": "Planes nacionales", "en": "National plans"},
    "page_cities": {"es": "Ciudades Solidarias", "en": "Cities of Solidarity"},
    "page_workplan": {"es": "Plan de trabajo", "en": "Work plan"},
    "page_support": {"es": "Plataforma de Apoyo", "en": "Support Platform"},
    "page_data": {"es": "Datos", "en": "Data"},
    "page_about": {"es": "Fuentes y definiciones", "en": "Sources and definitions"},
    "credit": {
        "es": "MIRPS · Secretaría Técnica OEA-ACNUR",
        "en": "MIRPS · OAS-UNHCR Technical Secretariat",
    },
    "db_unreachable": {
        "es": "No se puede consultar la base de datos en este momento. Las cifras volverán cuando la conexión "
        "se restablezca; vuelva a cargar la página en unos minutos.",
        "en": "The database cannot be reached right now. The figures will be back when the connection "
        "returns; reload the page in a few minutes.",
    },
    "db_unreachable_admin": {
        "es": "Para el equipo técnico: revise MIRPS_DATABASE_URL y que el servidor esté en marcha.",
        "en": "For the technical team: check MIRPS_DATABASE_URL and that the server is running.",
    },
    "db_busy": {
        "es": "La base de datos está ocupada con otro cambio y no respondió a tiempo. Vuelva a intentarlo "
        "en unos segundos.",
        "en": "The database is busy with another change and did not answer in time. Try again in a few seconds.",
    },
    "first_run_loading": {
        "es": "Primera ejecución: cargando los datos públicos incluidos…",
        "en": "First run: loading the shipped public data…",
    },
    "first_run_done": {"es": "Datos cargados.", "en": "Data loaded."},
    "load_failed": {
        "es": "No se pudieron cargar los datos incluidos; la base de datos no se modificó.",
        "en": "The shipped data could not be loaded; the database was left unchanged.",
    },
    "source": {"es": "Fuente", "en": "Source"},
    "sources": {"es": "Fuentes", "en": "Sources"},
    "data_as_of": {"es": "datos a", "en": "data as of"},
    "no_data": {"es": "sin datos", "en": "no data"},
    "no_data_reported": {"es": "Sin datos reportados", "en": "No data reported"},
    "coming_soon": {"es": "En preparación", "en": "Coming soon"},
    "definitions": {"es": "Definiciones", "en": "Definitions"},
    # overview
    "overview_title": {"es": "¿Dónde está la región?", "en": "Where does the region stand?"},
    "overview_lead": {
        "es": "Personas desplazadas por la fuerza hacia, desde y dentro de los siete Estados MIRPS, a fin de {year}.",
        "en": "Forcibly displaced people to, from and within the seven MIRPS States, at the end of {year}.",
    },
    "kpi_hosted": {
        "es": "Acogidas en países MIRPS",
        "en": "Hosted in MIRPS countries",
    },
    "kpi_hosted_help": {
        "es": "Personas refugiadas, solicitantes de asilo y otras personas con necesidad de protección "
        "internacional cuyo país de asilo es un Estado MIRPS.",
        "en": "Refugees, asylum-seekers and other people in need of international protection whose country "
        "of asylum is a MIRPS State.",
    },
    "kpi_abroad": {"es": "Originarias de países MIRPS", "en": "From MIRPS countries"},
    "kpi_abroad_help": {
        "es": "Personas refugiadas, solicitantes de asilo y otras con necesidad de protección internacional "
        "cuyo país de origen es un Estado MIRPS, en cualquier país de asilo.",
        "en": "Refugees, asylum-seekers and other people in need of international protection whose country "
        "of origin is a MIRPS State, in any country of asylum.",
    },
    "kpi_idps_unhcr": {"es": "Desplazadas internas (ACNUR)", "en": "Internally displaced (UNHCR)"},
    "kpi_idps_unhcr_help": {
        "es": "Personas desplazadas internas bajo el mandato de ACNUR, según perfiles nacionales.",
        "en": "Internally displaced people of concern to UNHCR, from national profiling exercises.",
    },
    "kpi_idps_idmc": {"es": "Desplazadas internas (IDMC)", "en": "Internally displaced (IDMC)"},
    "kpi_idps_idmc_help": {
        "es": "Estimación de IDMC de personas desplazadas internas por conflicto y violencia, con otra definición "
        "que la de ACNUR: se muestran lado a lado, nunca sumadas.",
        "en": "IDMC's estimate of people internally displaced by conflict and violence, defined differently "
        "from UNHCR's: shown side by side, never added.",
    },
    "delta_like_for_like": {
        "es": "Cambio calculado sobre los {n} países con personas contadas en ambos años.",
        "en": "Change over the {n} countries with people counted in both years.",
    },
    "delta_vs": {"es": "{delta} frente a {year}", "en": "{delta} vs {year}"},
    "countries_reporting": {
        "es": "Fin de {year} · {n} de {total} países con personas contadas",
        "en": "End-{year} · {n} of {total} countries with people counted",
    },
    "overlap_note": {
        "es": "Las dos primeras cifras se solapan (por ejemplo, personas hondureñas en México figuran en ambas) "
        "y no deben sumarse.",
        "en": "The first two figures overlap (Hondurans in Mexico, for example, are in both) and must not be added.",
    },
    "overlap_roles": {
        "es": "Acogidas y originarias se solapan (hondureñas en México figuran en ambas): no deben sumarse.",
        "en": "Hosted and from overlap (Hondurans in Mexico are in both): they must not be added.",
    },
    "by_type_title": {"es": "Por tipo de población, {year}", "en": "By population type, {year}"},
    "col_type": {"es": "Tipo de población", "en": "Population type"},
    "col_hosted": {"es": "Acogidas en países MIRPS", "en": "Hosted in MIRPS countries"},
    "col_from": {"es": "Originarias de países MIRPS", "en": "From MIRPS countries"},
    "idps_both_roles_note": {
        "es": "ACNUR registra a las personas desplazadas internas con el mismo país de origen y de asilo: están en "
        "su propio país y se muestran una vez.",
        "en": "UNHCR records internally displaced people with the same country of origin and asylum: they are in "
        "their own country and are shown once.",
    },
    "col_stock_type": {"es": "Existencias a fin de {year}", "en": "End-{year} stocks"},
    "col_in_mirps": {"es": "En países MIRPS", "en": "In MIRPS countries"},
    "type_in_own_country": {"es": "{type}, en su propio país", "en": "{type}, in their own country"},
    "same_people": {"es": "las mismas personas", "en": "the same people"},
    "ooc_origin_note": {
        "es": "¹ Por país de origen, las otras personas de interés incluyen a personas en su propio país (origen "
        "y asilo son el mismo): no todas vienen de fuera.",
        "en": "¹ By country of origin, others of concern include people in their own country (origin and asylum "
        "are the same): not all of them come from elsewhere.",
    },
    "col_flow_type": {"es": "Retornos durante {year} (flujos)", "en": "Returned during {year} (flows)"},
    "col_by_asylum": {"es": "Por país de asilo", "en": "By country of asylum"},
    "col_by_origin": {"es": "Por país de origen", "en": "By country of origin"},
    "cell_not_counted": {"es": "no contadas", "en": "not counted"},
    "cell_not_counted_note": {
        "es": "«No contadas»: la fuente tiene 0 para todos los países MIRPS.",
        "en": "'Not counted': the source holds 0 for every MIRPS country.",
    },
    "flows_apart_note": {
        "es": "Los retornos se cuentan durante el año, no a su fin: son flujos y nunca se suman a las existencias.",
        "en": "Returns are counted during the year, not at its end: they are flows, never added to the stocks.",
    },
    "trend_title": {"es": "Tendencia desde {start}", "en": "Trend since {start}"},
    "trend_hosted": {"es": "Acogidas en países MIRPS", "en": "Hosted in MIRPS countries"},
    "trend_from": {"es": "Originarias de países MIRPS", "en": "From MIRPS countries"},
    "by_country_title": {"es": "Por país, {year}", "en": "By country, {year}"},
    "idp_compare_title": {
        "es": "Desplazamiento interno: ACNUR e IDMC, {year}",
        "en": "Internal displacement: UNHCR and IDMC, {year}",
    },
    "idp_compare_note": {
        "es": "Dos definiciones distintas, una junto a otra; no se suman.",
        "en": "Two different definitions, side by side; never added.",
    },
    "idp_compare_missing": {
        "es": "Sin cifra de ninguna fuente: {countries}.",
        "en": "No figure from either source: {countries}.",
    },
    "governance_title": {"es": "Gobernanza", "en": "Governance"},
    "ppt_current": {"es": "Presidencia Pro Tempore {year}", "en": "Pro-Tempore Presidency {year}"},
    "ppt_none": {"es": "Sin presidencia registrada para {year}", "en": "No Presidency recorded for {year}"},
    "chair_latest": {
        "es": "Presidencia de la Plataforma de Apoyo (última registrada)",
        "en": "Support Platform chair (latest recorded)",
    },
    "chair_term": {"es": "desde {start}", "en": "from {start}"},
    "events_title": {"es": "Próximos eventos", "en": "Next events"},
    "events_none": {
        "es": "No hay eventos futuros registrados en el tablero.",
        "en": "No upcoming event is recorded in the dashboard.",
    },
    "events_latest": {"es": "Reuniones anuales más recientes", "en": "Latest annual meetings"},
    "meeting_label": {"es": "{meeting} Reunión Anual", "en": "{meeting} Annual Meeting"},
    "axis_year": {"es": "Año", "en": "Year"},
    "axis_people": {"es": "Personas", "en": "People"},
    "axis_country": {"es": "País", "en": "Country"},
    "legend_type": {"es": "Tipo", "en": "Type"},
    "legend_role": {"es": "Rol", "en": "Role"},
    "legend_source": {"es": "Fuente", "en": "Source"},
    "role_asylum": {"es": "Acogidas (país de asilo)", "en": "Hosted (country of asylum)"},
    "role_origin": {"es": "Originarias (país de origen)", "en": "From (country of origin)"},
    "idp_source_unhcr": {"es": "ACNUR", "en": "UNHCR"},
    "idp_source_idmc": {"es": "IDMC (conflicto y violencia)", "en": "IDMC (conflict and violence)"},
    # population types
    "type_refugees": {"es": "Personas refugiadas", "en": "Refugees"},
    "type_asylum_seekers": {"es": "Solicitantes de asilo", "en": "Asylum-seekers"},
    "type_oip": {
        "es": "Otras con necesidad de protección internacional",
        "en": "Other people in need of international protection",
    },
    "type_idps": {"es": "Desplazadas internas (ACNUR)", "en": "Internally displaced (UNHCR)"},
    "type_returned_refugees": {"es": "Refugiadas retornadas", "en": "Returned refugees"},
    "type_returned_idps": {"es": "Desplazadas internas retornadas", "en": "Returned IDPs"},
    "type_stateless": {"es": "Apátridas", "en": "Stateless people"},
    "type_ooc": {"es": "Otras de interés para ACNUR", "en": "Others of concern to UNHCR"},
    "type_hst": {"es": "Comunidad de acogida", "en": "Host community"},
    # definitions
    "def_asylum_vs_origin": {
        "es": "**País de asilo** es donde la persona está ahora; **país de origen** es de donde huyó. "
        "«Acogidas en países MIRPS» cuenta por país de asilo; «originarias de países MIRPS», por país de origen. "
        "Las personas desplazadas internas están en su propio país (origen y asilo son el mismo): nunca son "
        "«acogidas».",
        "en": "**Country of asylum** is where people are now; **country of origin** is where they fled from. "
        "'Hosted in MIRPS countries' counts by country of asylum; 'from MIRPS countries' by country of origin. "
        "Internally displaced people are in their own country (origin and asylum are the same): never 'hosted'.",
    },
    "def_refugees": {
        "es": "Personas reconocidas como refugiadas, incluidas las que están en situación similar.",
        "en": "People recognised as refugees, including people in refugee-like situations.",
    },
    "def_asylum_seekers": {
        "es": "Personas cuya solicitud de asilo aún no se ha resuelto.",
        "en": "People whose claim for asylum has not yet been decided.",
    },
    "def_oip": {
        "es": "Personas fuera de su país con necesidad de protección internacional que no figuran como "
        "refugiadas ni solicitantes (categoría desde 2018; antes «venezolanos desplazados en el extranjero»).",
        "en": "People outside their country in need of international protection who are not reported as "
        "refugees or asylum-seekers (category since 2018; first called 'Venezuelans displaced abroad').",
    },
    "def_idps": {
        "es": "Personas desplazadas dentro de su propio país. ACNUR cuenta a las de su interés según perfiles "
        "nacionales; IDMC estima todas las desplazadas por conflicto y violencia. Las cifras difieren por "
        "definición y nunca se suman.",
        "en": "People displaced within their own country. UNHCR counts those of its concern from national "
        "profiling; IDMC estimates all those displaced by conflict and violence. The figures differ by "
        "definition and are never added.",
    },
    "def_stateless": {
        "es": "Personas a las que ningún Estado considera nacionales suyas conforme a su legislación "
        "(Convención de 1954); algunos países incluyen a personas de nacionalidad indeterminada. Se cuentan en el "
        "país donde residen.",
        "en": "People not considered as nationals by any State under the operation of its "
        "law (1954 Convention); some countries include people of undetermined nationality. They are counted in "
        "the country where they live.",
    },
    "def_ooc": {
        "es": "Personas que no entran en los otros grupos pero a las que ACNUR "
        "brinda protección o asistencia por motivos humanitarios u otros especiales. Por país de origen incluyen "
        "a personas que están en su propio país (origen y asilo son el mismo).",
        "en": "People who do not fall into the other groups but to whom UNHCR "
        "extends protection or assistance on humanitarian or other special grounds. By country of origin they "
        "include people in their own country (origin and asylum are the same).",
    },
    "def_returned_refugees": {
        "es": "Personas refugiadas que regresaron a su país de origen entre enero y "
        "diciembre del año (un flujo del año, no una existencia a fin de año).",
        "en": "Refugees who returned to their country of origin between January and "
        "December of the year (a flow during the year, not an end-year stock).",
    },
    "def_returned_idps": {
        "es": "Personas desplazadas internas protegidas o asistidas por ACNUR "
        "que regresaron a su lugar de origen o residencia habitual entre enero y diciembre del año (un flujo del "
        "año, no una existencia a fin de año).",
        "en": "Internally displaced people protected or assisted by UNHCR who returned to their "
        "place of origin or habitual residence between January and December of the year (a flow during the "
        "year, not an end-year stock).",
    },
    "def_stocks": {
        "es": "Las cifras de ACNUR son existencias a fin de año, salvo los retornos, que son flujos del año: los "
        "retornos nunca se suman a las existencias. ACNUR revisa años anteriores.",
        "en": "UNHCR figures are end-year stocks, except returns, which are flows during the year: returns are "
        "never added to the stocks. UNHCR revises past years.",
    },
    "def_headline_quotes": {
        "es": "Las cifras citadas en reuniones del MIRPS usan definiciones distintas entre sí y no forman "
        "una serie temporal.",
        "en": "Headline figures quoted at MIRPS meetings use different definitions and are not a time series.",
    },
    # about
    "about_title": {"es": "Fuentes y definiciones", "en": "Sources and definitions"},
    "about_lead": {
        "es": "Cada cifra del tablero viene de una fuente pública. Solo estadísticas agregadas; ningún dato "
        "personal. Lo que falta se muestra como «sin datos», nunca como cero.",
        "en": "Every figure in the dashboard comes from a public source. Aggregated statistics only; no "
        "personal data. What is missing is shown as 'no data', never as zero.",
    },
    "about_sources": {"es": "Fuentes", "en": "Sources"},
    "col_publisher": {"es": "Publicador", "en": "Publisher"},
    "col_dataset": {"es": "Conjunto de datos", "en": "Dataset"},
    "col_licence": {"es": "Licencia", "en": "Licence"},
    "col_date_of_data": {"es": "Fecha de los datos", "en": "Date of data"},
    "col_feeds": {"es": "Alimenta", "en": "Feeds"},
    "col_link": {"es": "Enlace", "en": "Link"},
    "col_files": {"es": "Archivos", "en": "Files"},
    "col_rows": {"es": "Filas", "en": "Rows"},
    "about_cite": {"es": "Cómo citar", "en": "How to cite"},
    "about_cite_lead": {
        "es": "Cite la fuente original de cada cifra; por ejemplo:",
        "en": "Cite the original source of each figure, for example:",
    },
    "col_loaded_at": {"es": "Cargado", "en": "Loaded"},
    "about_built_on": {
        "es": "Datos armados el {date} a partir de copias archivadas de fuentes públicas.",
        "en": "Data built on {date} from archived copies of public sources.",
    },
    "about_illustrative": {"es": "Datos ilustrativos", "en": "Illustrative data"},
    "about_gaps": {"es": "Lo que no se encontró", "en": "What could not be found"},
    "about_gaps_text": {
        "es": "Cuantificación de los planes nacionales en USD; compromisos de México y Panamá; Ciudades "
        "Solidarias en Costa Rica, El Salvador, Panamá y Belice; flujos de IDMC después de 2023. El tablero "
        "los muestra como «sin datos» hasta que un equipo los reporte.",
        "en": "Costing of national plans in USD; commitment counts for Mexico and Panama; Cities of Solidarity "
        "in Costa Rica, El Salvador, Panama and Belize; IDMC flows after 2023. The dashboard shows them as "
        "'no data' until a team reports them.",
    },
    "about_feeds": {"es": "Qué alimenta cada fuente y sus archivos", "en": "What each source feeds, and its files"},
    # Short: a page link does not wrap, and it sits in a third of the page (cut at 1280 px when longer).
    "country_plan_link": {"es": "Plan nacional de {country} →", "en": "{country}'s national plan →"},
    "source_word": {"es": "fuente", "en": "source"},
    "open_link": {"es": "abrir", "en": "open"},
    "about_loaded": {"es": "Datos cargados en esta base de datos", "en": "Data loaded in this database"},
    "about_disclaimer": {
        "es": "Las fronteras y nombres en los mapas no implican aprobación ni aceptación oficial por parte de "
        "las Naciones Unidas ni de la OEA.",
        "en": "The boundaries and names shown on maps do not imply official endorsement or acceptance by the "
        "United Nations or the OAS.",
    },
    # stubs
    "stub_displacement": {
        "es": "Quién está desplazado, desde dónde, hacia dónde y desde cuándo: tendencias por tipo, flujos "
        "origen–asilo, soluciones y desplazamiento interno de IDMC.",
        "en": "Who is displaced, from where, to where and since when: trends by type, origin–asylum flows, "
        "solutions and IDMC internal displacement.",
    },
    "stub_country": {
        "es": "Un Estado miembro en una pantalla: cifras, flujos, compromisos, avances y ciudades.",
        "en": "One member state on one screen: figures, flows, commitments, progress and cities.",
    },
    "stub_plans": {
        "es": "Avance frente a los planes nacionales: compromisos, indicadores frente a metas, por país.",
        "en": "Progress against national plans: commitments, indicators against targets, per country.",
    },
    "stub_cities": {
        "es": "Las Ciudades Solidarias en un mapa que funciona sin conexión, con estado y fuentes.",
        "en": "Cities of Solidarity on a map that works offline, with status and sources.",
    },
    "stub_workplan": {
        "es": "El plan de trabajo de la Presidencia: calendario, grupos de trabajo, productos y alianzas.",
        "en": "The Presidency's work plan: timeline, working groups, deliverables and partnerships.",
    },
    "stub_support": {
        "es": "Plataforma de Apoyo: miembros, presidencias, contribuciones y financiamiento frente a necesidades.",
        "en": "Support Platform: members, chairs, pledges and funding against needs.",
    },
    "stub_data": {
        "es": "Ingreso, aprobación, historial y auditoría de datos (solo con sesión iniciada).",
        "en": "Data entry, approval, history and audit (signed-in roles only).",
    },
    # displacement page
    "displacement_title": {"es": "Desplazamiento", "en": "Displacement"},
    "displacement_lead": {
        "es": "Quién está desplazado, desde dónde, hacia dónde y desde cuándo. Elija tipos, rol, países y años: "
        "el enlace de la barra de direcciones reproduce esta vista.",
        "en": "Who is displaced, from where, to where and since when. Choose types, role, countries and years: "
        "the link in the address bar reproduces this view.",
    },
    "filter_types": {"es": "Tipos de población", "en": "Population types"},
    "filter_role": {"es": "Contar por", "en": "Count by"},
    "filter_countries": {"es": "Países MIRPS", "en": "MIRPS countries"},
    "filter_years": {"es": "Años", "en": "Years"},
    "filter_country": {"es": "País", "en": "Country"},
    "filter_year": {"es": "Año", "en": "Year"},
    "filter_direction": {"es": "Dirección", "en": "Direction"},
    "role_asylum_short": {"es": "País de asilo o residencia", "en": "Country of asylum or residence"},
    "role_origin_short": {"es": "País de origen", "en": "Country of origin"},
    "idps_either_role_note": {
        "es": "Las personas desplazadas internas están en su propio país: cuentan igual con cualquiera de las dos "
        "opciones, y nunca como acogidas.",
        "en": "Internally displaced people are in their own country: they count the same either way, and never "
        "as hosted.",
    },
    "ooc_origin_role_note": {
        "es": "Por país de origen, las otras personas de interés incluyen a personas en su propio país.",
        "en": "By country of origin, others of concern include people in their own country.",
    },
    "pick_types": {"es": "Elija al menos un tipo de población.", "en": "Choose at least one population type."},
    "pick_countries": {"es": "Elija al menos un país.", "en": "Choose at least one country."},
    "tab_trend": {"es": "Evolución", "en": "Over time"},
    "tab_states": {"es": "Por Estado", "en": "By State"},
    "tab_flows": {"es": "Flujos", "en": "Flows"},
    "tab_solutions": {"es": "Soluciones", "en": "Solutions"},
    "tab_internal": {"es": "Desplazamiento interno", "en": "Internal displacement"},
    "tab_progress": {"es": "Avance (estadísticas públicas)", "en": "Progress (public statistics)"},
    "tab_mirps": {"es": "Compromisos, ciudades y rol", "en": "Commitments, cities and role"},
    "section_trend": {"es": "Tendencia, {start}–{end}", "en": "Trend, {start}–{end}"},
    "section_ranking": {"es": "Ranking de países, {year}", "en": "Country ranking, {year}"},
    "section_shares": {"es": "Participación por tipo, {year}", "en": "Share by type, {year}"},
    "section_change": {"es": "Cambio interanual, {previous}–{year}", "en": "Year-on-year change, {previous}–{year}"},
    "section_flows": {"es": "Flujos origen–asilo, {year}", "en": "Origin–asylum flows, {year}"},
    "section_solutions": {
        "es": "Soluciones durante cada año (flujos), {start}–{end}",
        "en": "Solutions during each year (flows), {start}–{end}",
    },
    "section_idmc": {
        "es": "Nuevos desplazamientos internos (IDMC), por causa",
        "en": "New internal displacements (IDMC), by cause",
    },
    "flows_from": {
        "es": "Dónde están las personas de {country} (sus países de asilo)",
        "en": "Where people from {country} are (their countries of asylum)",
    },
    "flows_to": {
        "es": "De dónde vienen las personas acogidas en {country} (sus países de origen)",
        "en": "Where the people hosted in {country} come from (their countries of origin)",
    },
    "direction_origin": {"es": "Desde este país (destinos)", "en": "From this country (destinations)"},
    "direction_asylum": {"es": "Hacia este país (orígenes)", "en": "Into this country (origins)"},
    "others": {"es": "Otros {n} países", "en": "{n} other countries"},
    "click_map_to_select": {
        "es": "Haga clic en un país del mapa para ver sus flujos.",
        "en": "Click a country on the map to see its flows.",
    },
    "click_to_select": {
        "es": "Haga clic en una barra para ver los flujos de ese país.",
        "en": "Click a bar to see that country's flows.",
    },
    "col_country": {"es": "País", "en": "Country"},
    "col_partner": {"es": "País", "en": "Country"},
    "col_year": {"es": "Año", "en": "Year"},
    "col_value": {"es": "Personas", "en": "People"},
    "col_previous": {"es": "Año anterior", "en": "Previous year"},
    "col_change": {"es": "Cambio", "en": "Change"},
    "col_change_share": {"es": "Cambio (%)", "en": "Change (%)"},
    "col_not_in_change": {"es": "Fuera del cambio", "en": "Not in the change"},
    "cell_not_counted_in": {"es": "{types}: no contadas en {year}", "en": "{types}: not counted in {year}"},
    "col_share": {"es": "Participación (%)", "en": "Share (%)"},
    "col_category": {"es": "Categoría", "en": "Category"},
    "col_solution": {"es": "Solución", "en": "Solution"},
    "col_role": {"es": "Rol", "en": "Role"},
    "data_and_downloads": {"es": "Datos y descargas", "en": "Data and downloads"},
    "download_csv": {"es": "CSV", "en": "CSV"},
    "download_xlsx": {"es": "Excel", "en": "Excel"},
    "download_png": {"es": "Imagen PNG", "en": "PNG image"},
    "download_svg": {"es": "Imagen SVG", "en": "SVG image"},
    "meta_title": {"es": "Título", "en": "Title"},
    "meta_source": {"es": "Fuente", "en": "Source"},
    "meta_filters": {"es": "Filtros", "en": "Filters"},
    "meta_exported": {"es": "Exportado", "en": "Exported"},
    "solutions_flows_note": {
        "es": "Personas retornadas, reasentadas o naturalizadas durante el año: flujos, nunca sumados a las "
        "existencias a fin de año de las otras pestañas.",
        "en": "People returned, resettled or naturalised during the year: flows, never added to the end-year "
        "stocks on the other tabs.",
    },
    "solution_returned_refugees": {"es": "Refugiadas retornadas", "en": "Returned refugees"},
    "solution_resettlement": {"es": "Reasentamiento (llegadas)", "en": "Resettlement (arrivals)"},
    "solution_naturalisation": {"es": "Naturalización", "en": "Naturalisation"},
    "solution_returned_idps": {"es": "Desplazadas internas retornadas", "en": "Returned IDPs"},
    "solutions_role_note": {
        "es": "Por país de origen: personas de los países elegidos reasentadas o naturalizadas en otro país, o "
        "retornadas. Por país de asilo: personas naturalizadas en los países elegidos o retornadas desde ellos.",
        "en": "By country of origin: people from the selected countries resettled or naturalised elsewhere, or "
        "returned. By country of asylum: people naturalised in, or returned from, the selected countries.",
    },
    "hazard_conflict": {"es": "Conflicto y violencia", "en": "Conflict and violence"},
    "hazard_flood": {"es": "Inundación", "en": "Flood"},
    "hazard_storm": {"es": "Tormenta", "en": "Storm"},
    "hazard_earthquake": {"es": "Terremoto", "en": "Earthquake"},
    "hazard_mass_movement": {"es": "Deslizamiento", "en": "Mass movement"},
    "hazard_extreme_temperature": {"es": "Temperatura extrema", "en": "Extreme temperature"},
    "hazard_volcanic_activity": {"es": "Actividad volcánica", "en": "Volcanic activity"},
    "hazard_wildfire": {"es": "Incendio forestal", "en": "Wildfire"},
    "hazard_drought": {"es": "Sequía", "en": "Drought"},
    "idmc_flows_note": {
        "es": "Flujos de enero a diciembre: una persona puede contarse más de una vez. Un año o amenaza sin "
        "registro no significa necesariamente cero. Datos de IDMC hasta 2023.",
        "en": "January–December flows: a person may be counted more than once. A year or hazard with no record "
        "is not necessarily zero. IDMC data up to 2023.",
    },
    "axis_new_displacements": {"es": "Nuevos desplazamientos", "en": "New displacements"},
    # IDMC's flows count events: a person displaced twice in a year is two displacements, never "people"
    "col_displacements": {"es": "Nuevos desplazamientos", "en": "New displacements"},
    "summary_trend": {
        "es": "En {end}, {total} personas ({types}): {direction} frente a {start} ({first}).",
        "en": "In {end}, {total} people ({types}): {direction} since {start} ({first}).",
    },
    "summary_trend_like": {
        "es": "En {end}, {total} personas ({types}). Comparando solo lo que la fuente contó en ambos años: {last} "
        "en {end}, {direction} frente a {start} ({first}).",
        "en": "In {end}, {total} people ({types}). Like for like, only what the source counted in both years: "
        "{last} in {end}, {direction} since {start} ({first}).",
    },
    "summary_trend_nothing_both": {
        "es": "En {end}, {total} personas ({types}); la fuente no contó ninguna de ellas también en {start}: no hay "
        "cambio que mostrar.",
        "en": "In {end}, {total} people ({types}); the source counted none of them in {start} as well: no change "
        "to show.",
    },
    "summary_not_counted_in": {
        "es": "No contadas en {year} (0 o sin dato en la fuente), por eso fuera del cambio: {items}.",
        "en": "Not counted in {year} (0 or no figure in the source), so not in the change: {items}.",
    },
    "summary_type_in": {"es": "{type} en {countries}", "en": "{type} in {countries}"},
    "summary_change_nothing": {
        "es": "La fuente no cuenta a ninguna de estas personas en ninguno de los dos años en: {countries}.",
        "en": "The source counts none of these people in either year in: {countries}.",
    },
    "summary_direction_up": {"es": "un aumento", "en": "up"},
    "summary_direction_down": {"es": "una disminución", "en": "down"},
    "summary_direction_flat": {"es": "sin cambio", "en": "unchanged"},
    "summary_ranking": {
        "es": "{country} encabeza con {value} personas, {share} del total de los países elegidos en {year}.",
        "en": "{country} leads with {value} people, {share} of the selected countries' total in {year}.",
    },
    "summary_unranked": {
        "es": "Sin cifra (la fuente no las cuenta, o no hay dato): {countries}.",
        "en": "No figure (not counted by the source, or no data): {countries}.",
    },
    "summary_shares": {
        "es": "El grupo mayor en {year}: {type}, con {share} de las personas contadas.",
        "en": "The largest group in {year}: {type}, with {share} of the people counted.",
    },
    "summary_flows_origin": {
        "es": "El mayor grupo de personas de {country} está en {partner} ({share}).",
        "en": "The largest group of people from {country} is in {partner} ({share}).",
    },
    "summary_flows_asylum": {
        "es": "El mayor grupo acogido en {country} viene de {partner} ({share}).",
        "en": "The largest group hosted in {country} comes from {partner} ({share}).",
    },
    "summary_idmc": {
        "es": "En {year}, {total} nuevos desplazamientos registrados; la causa principal fue: {top}.",
        "en": "In {year}, {total} new displacements were recorded; the main cause was: {top}.",
    },
    "summary_change": {
        "es": "{n} de {total} países con datos en ambos años registran un aumento.",
        "en": "{n} of {total} countries reporting in both years show an increase.",
    },
    "summary_flows_map": {
        "es": "{n} flujos en el mapa; el mayor, {value} personas de {origin} en {asylum}.",
        "en": "{n} flows on the map; the largest, {value} people from {origin} in {asylum}.",
    },
    "summary_cities": {
        "es": "{n} Ciudades Solidarias en el mapa, en {countries} países.",
        "en": "{n} Cities of Solidarity on the map, in {countries} countries.",
    },
    "summary_focus_areas": {
        "es": "Más compromisos en {area}: {n} de {total}.",
        "en": "Most commitments in {area}: {n} of {total}.",
    },
    "summary_hosted_and_from": {
        "es": "En {year}, {host} acoge a más personas ({hosted}); el país del que provienen más personas es "
        "{origin} ({origin_value}).",
        "en": "In {year}, {host} hosts the most people ({hosted}); the most people come from {origin} "
        "({origin_value}).",
    },
    "summary_extremes": {
        "es": "El valor más alto, {top} ({top_value}); el más bajo, {bottom} ({bottom_value}).",
        "en": "Highest, {top} ({top_value}); lowest, {bottom} ({bottom_value}).",
    },
    "no_rows": {
        "es": "Sin datos reportados para esta selección.",
        "en": "No data reported for this selection.",
    },
    # country page
    "country_lead": {
        "es": "Un Estado miembro en una pantalla, a fin de {year}. Cambie país o año: el enlace reproduce la vista.",
        "en": "One member state on one screen, at the end of {year}. Change country or year: the link reproduces "
        "the view.",
    },
    "country_idps_note": {
        "es": "Las dos primeras cifras cuentan personas refugiadas, solicitantes de asilo y otras con necesidad de "
        "protección internacional; las desplazadas internas se muestran aparte, según ACNUR y según IDMC.",
        "en": "The first two figures count refugees, asylum-seekers and other people in need of international "
        "protection; internally displaced people are shown apart, by UNHCR and by IDMC.",
    },
    "country_hosted": {"es": "Acogidas en {country}", "en": "Hosted in {country}"},
    "country_from": {"es": "Originarias de {country}", "en": "From {country}"},
    "delta_none": {"es": "Sin dato de {year} para comparar", "en": "No {year} figure to compare"},
    "delta_not_counted": {
        "es": "No contados en {year} (0 en la serie de la fuente): sin cambio que mostrar",
        "en": "Not counted in {year} (0 in the source's series): no change to show",
    },
    "not_counted": {
        "es": "No contados por la fuente (su serie tiene 0)",
        "en": "Not counted by the source (its series holds 0)",
    },
    "section_destinations": {"es": "Principales países de asilo, {year}", "en": "Top countries of asylum, {year}"},
    "section_origins": {"es": "Principales países de origen, {year}", "en": "Top countries of origin, {year}"},
    "section_country_idmc": {
        "es": "Desplazamiento interno por conflicto y desastres (IDMC)",
        "en": "Internal displacement by conflict and disasters (IDMC)",
    },
    "disaster_stock": {
        "es": "Personas desplazadas internas por desastres a fin de {year} (IDMC): {value}",
        "en": "People internally displaced by disasters at the end of {year} (IDMC): {value}",
    },
    "section_commitments": {"es": "Compromisos por área", "en": "Commitments by focus area"},
    "commitments_total": {
        "es": "Plan de respuesta nacional: {value} compromisos en total (todas las áreas).",
        "en": "National response plan: {value} commitments in total (all areas).",
    },
    "commitments_none": {
        "es": "Sin conteo público de compromisos por área. El equipo técnico nacional puede reportarlo.",
        "en": "No public count of commitments by focus area. The national technical team can report it.",
    },
    "section_country_cities": {"es": "Ciudades Solidarias", "en": "Cities of Solidarity"},
    "cities_none": {
        "es": "Ninguna ciudad reportada aún. El equipo técnico nacional puede reportarla.",
        "en": "No city reported yet. The national technical team can report one.",
    },
    "section_role": {"es": "En el MIRPS", "en": "In the MIRPS"},
    "presidency_years": {"es": "Presidencia Pro Tempore: {years}", "en": "Pro-Tempore Presidency: {years}"},
    "presidency_never": {
        "es": "Aún no ha ejercido la Presidencia Pro Tempore.",
        "en": "Has not yet held the Pro-Tempore Presidency.",
    },
    "end_of_year": {"es": "Fin de {year}", "en": "End-{year}"},
    "leads_groups": {"es": "Lidera: {groups}", "en": "Leads: {groups}"},
    "leads_none": {"es": "No se registra que lidere un grupo de trabajo.", "en": "No working group lead recorded."},
    "focus_protection": {"es": "Protección", "en": "Protection"},
    "focus_jobs_and_livelihoods": {"es": "Empleo y medios de vida", "en": "Jobs and livelihoods"},
    "focus_education": {"es": "Educación", "en": "Education"},
    "focus_health": {"es": "Salud", "en": "Health"},
    "focus_social_protection": {"es": "Protección social", "en": "Social protection"},
    "col_focus_area": {"es": "Área", "en": "Focus area"},
    "col_commitments": {"es": "Compromisos", "en": "Commitments"},
    "col_city": {"es": "Ciudad", "en": "City"},
    "col_status": {"es": "Estado", "en": "Status"},
    "col_date": {"es": "Fecha", "en": "Date"},
    # work plan page
    "workplan_title": {"es": "Plan de trabajo de la Presidencia", "en": "The Presidency's work plan"},
    "workplan_lead": {
        "es": "Plan de trabajo regional {year} de la Presidencia Pro Tempore y la Secretaría Técnica OEA-ACNUR: "
        "calendario, grupos de trabajo y productos esperados.",
        "en": "Regional work plan {year} of the Pro-Tempore Presidency and the OAS-UNHCR Technical Secretariat: "
        "timeline, working groups and expected outcomes.",
    },
    "filter_plan_year": {"es": "Plan de trabajo", "en": "Work plan"},
    "section_timeline": {"es": "Calendario: {n} eventos", "en": "Timeline: {n} events"},
    "timeline_counts": {
        "es": "{past} con fecha prevista pasada · {upcoming} próximos · {tbc} por confirmar · {no_date} sin fecha",
        "en": "{past} past their planned date · {upcoming} upcoming · {tbc} to be confirmed · {no_date} with no date",
    },
    "timeline_note": {
        "es": "Fechas previstas en el plan. «Fecha prevista pasada» no afirma que el evento se realizó.",
        "en": "Dates as planned. 'Past its planned date' does not say the event took place.",
    },
    "undated_events": {"es": "Eventos sin fecha", "en": "Events with no date"},
    "event_past": {"es": "Fecha prevista pasada", "en": "Past its planned date"},
    "event_upcoming": {"es": "Próximo", "en": "Upcoming"},
    "event_tbc": {"es": "Por confirmar", "en": "To be confirmed"},
    "event_no_date": {"es": "Sin fecha", "en": "No date"},
    "col_event": {"es": "Evento", "en": "Event"},
    "col_number": {"es": "N.º", "en": "No."},
    "section_groups": {"es": "Grupos de trabajo", "en": "Working groups"},
    "group_created": {"es": "Creado en {year}", "en": "Created in {year}"},
    "group_first_session": {"es": "Primera sesión: {date}", "en": "First session: {date}"},
    "group_members": {"es": "Miembros sugeridos", "en": "Suggested members"},
    "group_partners": {"es": "Socios", "en": "Partners"},
    "group_focus": {"es": "Enfoque", "en": "Focus"},
    "section_outcomes": {"es": "Productos esperados", "en": "Expected outcomes"},
    "section_partnerships": {"es": "Alianzas estratégicas", "en": "Strategic partnerships"},
    "level_national": {"es": "nacional", "en": "national"},
    "level_regional": {"es": "regional", "en": "regional"},
    "partnership_levels": {"es": "Nivel: {levels}", "en": "Level: {levels}"},
    "outcome_status_unreported": {
        "es": "Estado de cada producto: aún no reportado; el plan dice lo previsto, no lo realizado.",
        "en": "Status of each outcome: not yet reported; the plan says what was planned, not what was done.",
    },
    "kind_deliverable": {"es": "Producto", "en": "Deliverable"},
    "kind_event": {"es": "Evento", "en": "Event"},
    "kind_visibility": {"es": "Visibilidad", "en": "Visibility"},
    "cadence_yearly": {"es": "anual", "en": "yearly"},
    "cadence_once": {"es": "una vez", "en": "once"},
    "cadence_quarterly": {"es": "trimestral", "en": "quarterly"},
    "cadence_twice_yearly": {"es": "dos veces al año", "en": "twice a year"},
    "workplan_language_note": {
        "es": "Títulos y descripciones traducidos del documento fuente, publicado en inglés; el original está bajo "
        "cada sección.",
        "en": "Titles and descriptions as the source document words them.",
    },
    "original_english": {"es": "Original (inglés)", "en": "Original (English)"},
    "version_archived": {"es": "copia archivada el {date}", "en": "copy archived on {date}"},
    # support platform page
    "support_title": {"es": "Plataforma de Apoyo", "en": "Support Platform"},
    "support_lead": {
        "es": "Estados y organizaciones que acompañan al MIRPS: quiénes son, quién preside, qué se anunció y "
        "qué financió el Fondo MIRPS.",
        "en": "The states and organisations that support the MIRPS: who they are, who chairs, what was "
        "announced and what the MIRPS Fund financed.",
    },
    "section_chairs": {"es": "Presidencias de la Plataforma", "en": "Platform chairs"},
    "chair_unknown_date": {"es": "fecha no encontrada", "en": "date not found"},
    "col_chair": {"es": "Presidencia", "en": "Chair"},
    "col_term_start": {"es": "Desde", "en": "From"},
    "col_term_end": {"es": "Hasta", "en": "To"},
    "section_members": {"es": "Miembros en cada lista publicada", "en": "Members in each published list"},
    "members_counts": {
        "es": "Miembros por versión de la lista: {counts}. El núcleo de Estados se mantiene; se sumaron "
        "organizaciones financieras.",
        "en": "Members per version of the list: {counts}. The core states stay; financial institutions joined.",
    },
    "members_versions": {"es": "Versiones de la lista", "en": "Versions of the list"},
    "col_member": {"es": "Miembro", "en": "Member"},
    "col_member_type": {"es": "Tipo", "en": "Type"},
    "member_as_secretariat": {"es": "{name}, Secretaría Técnica", "en": "{name}, Technical Secretariat"},
    "section_pledges": {"es": "Eventos de solidaridad y anuncios", "en": "Solidarity events and pledges"},
    "pledges_note": {
        "es": "Son montos anunciados (compromisos y promesas), no desembolsos. Solo lo comprometido y pagado "
        "cuenta como financiamiento, como en el FTS de OCHA. «al menos» marca un mínimo dado por la fuente. "
        "Descripciones traducidas de la fuente (en inglés); el original está bajo cada lista.",
        "en": "These are announced amounts (pledges and commitments), not disbursements. Only committed and "
        "paid money counts as funding, as in OCHA's FTS. 'at least' marks a minimum given by the source.",
    },
    "at_least": {"es": "al menos", "en": "at least"},
    "section_fund": {"es": "Fondo MIRPS (OEA)", "en": "MIRPS Fund (OAS)"},
    "unit_USD": {"es": "USD", "en": "USD"},
    "unit_countries": {"es": "países", "en": "countries"},
    "unit_projects": {"es": "proyectos", "en": "projects"},
    "member_state": {"es": "Estado", "en": "State"},
    "member_financial_institution": {"es": "Institución financiera", "en": "Financial institution"},
    "member_un_regional_commission": {"es": "Comisión regional de la ONU", "en": "UN regional commission"},
    "member_regional_organization": {"es": "Organización regional", "en": "Regional organisation"},
    "member_un_agency": {"es": "Agencia de la ONU", "en": "UN agency"},
    "unit_EUR": {"es": "EUR", "en": "EUR"},
    # plans page
    "plans_title": {"es": "Avance frente a los planes nacionales", "en": "Progress against national plans"},
    "plans_lead": {
        "es": "Lo comprometido, lo medido y lo logrado frente a las metas de cada plan nacional. Los indicadores "
        "miden el avance en cifras; el capítulo nacional lo narra.",
        "en": "What was committed, what is measured and what was achieved against each national plan's targets. "
        "Indicators measure progress in numbers; the national chapter tells it.",
    },
    "page_indicator": {"es": "Ficha del indicador", "en": "Indicator page"},
    "pi_section_title": {
        "es": "{country}: avance medido con estadísticas públicas, {year}",
        "en": "{country}: progress measured with public statistics, {year}",
    },
    "pi_section_lead": {
        "es": "Cifras públicas del ACNUR y de población, calculadas igual para los siete Estados. Cada cambio se mide "
        "desde {baseline}: el año anterior al inicio de los planes nacionales no consta en los datos publicados, "
        "así que se usa {baseline} para todos.",
        "en": "Public UNHCR and population figures, computed alike for the seven States. Each change is measured "
        "from {baseline}: the year before the national plans started is not in the published data, so {baseline} "
        "is used for all.",
    },
    "pi_col_indicator": {"es": "Indicador", "en": "Indicator"},
    "pi_col_value": {"es": "Valor", "en": "Value"},
    "pi_col_value_year": {"es": "Valor {year}", "en": "Value {year}"},
    "pi_col_baseline": {"es": "Línea de base {year}", "en": "Baseline {year}"},
    "pi_col_change": {"es": "Cambio", "en": "Change"},
    "pi_col_assessment": {"es": "Valoración", "en": "Assessment"},
    "pi_col_area": {"es": "Área", "en": "Area"},
    "pi_col_numerator": {"es": "Numerador", "en": "Numerator"},
    "pi_col_denominator": {"es": "Denominador", "en": "Denominator"},
    "pi_col_reason": {"es": "Por qué no hay cifra", "en": "Why there is no figure"},
    "pi_col_note": {"es": "Nota", "en": "Note"},
    "unit_points": {"es": "p. p.", "en": "pp"},
    "pi_assess_improving": {"es": "mejora", "en": "improving"},
    "pi_assess_worsening": {"es": "empeora", "en": "worsening"},
    "pi_assess_stable": {"es": "estable", "en": "stable"},
    "pi_assess_no_verdict": {"es": "contexto (sin valoración)", "en": "context (no verdict)"},
    "pi_assess_not_comparable": {"es": "no comparable", "en": "not comparable"},
    "pi_reason_no_data": {"es": "sin dato en la fuente", "en": "no figure in the source"},
    "pi_reason_cases_only": {
        "es": "no comparable: reportado en casos, no en personas",
        "en": "not comparable: reported in cases, not persons",
    },
    "pi_reason_no_decisions": {"es": "sin decisiones sobre el fondo", "en": "no substantive decisions"},
    "pi_reason_no_population": {"es": "sin dato de población", "en": "no population figure"},
    "pi_note_cases_left_out": {
        "es": "sin los niveles reportados solo en casos",
        "en": "levels reported only in cases left out",
    },
    "pi_note_outside_change": {
        "es": "cambio sobre los tipos contados en {baseline} y en {year}; fuera del cambio, por contarse en uno solo "
        "de los dos años: {types}",
        "en": "change over the types counted in both {baseline} and {year}; not in it, as counted in one of the two "
        "years only: {types}",
    },
    "pi_note_population_projection": {
        "es": "población de 2025: proyección de la ONU (cambio de serie)",
        "en": "2025 population: UN projection (series break)",
    },
    "pi_unit_people": {"es": "personas", "en": "people"},
    "pi_unit_share": {"es": "% de las decisiones", "en": "% of decisions"},
    "pi_unit_per_1000": {"es": "por cada 1.000 habitantes", "en": "per 1,000 inhabitants"},
    "pi_unit_years": {"es": "años", "en": "years"},
    "pi_focus_protection": {"es": "Protección y asilo", "en": "Protection and asylum"},
    "pi_focus_solutions": {"es": "Soluciones", "en": "Solutions"},
    "pi_focus_hosting": {"es": "Acogida", "en": "Hosting"},
    "pi_direction_increase": {"es": "más es avance", "en": "more is progress"},
    "pi_direction_decrease": {"es": "menos es avance", "en": "less is progress"},
    "pi_direction_neutral": {
        "es": "contexto: ni más ni menos es avance",
        "en": "context: neither more nor less is progress",
    },
    "pi_rule_title": {"es": "Cómo se valora un cambio", "en": "How a change is assessed"},
    "pi_rule_text": {
        "es": "Se compara el valor del año con el de la línea de base. Si el indicador tiene dirección (menos "
        "personas en espera es avance; más decisiones, también), el cambio **mejora** cuando va en esa dirección "
        "más allá del umbral, **empeora** cuando va en contra más allá del umbral, y es **estable** dentro de él. "
        "Umbral: 5 % del valor de base en los conteos; 1 punto porcentual en las tasas. Las tasas de protección, "
        "las solicitudes y las cifras de acogida son **contexto**: se muestra su cambio sin valorarlo. Sin valor en "
        "uno de los dos años, el cambio es **no comparable**; nunca se toma un dato faltante como cero.",
        "en": "The year's value is compared with the baseline's. Where the indicator has a direction (fewer people "
        "waiting is progress; more decisions too), the change is **improving** when it goes that way by more than "
        "the threshold, **worsening** when it goes the other way by more than the threshold, and **stable** "
        "within it. Threshold: 5% of the baseline value for counts; 1 percentage point for rates. Protection "
        "rates, applications and hosting figures are **context**: their change is shown without a verdict. "
        "Without a value in either year the change is **not comparable**; a missing figure is never taken as zero.",
    },
    "pi_trend_pick": {"es": "Indicador en el gráfico", "en": "Indicator in the chart"},
    "pi_trend_title": {
        "es": "{indicator}: {country} y los demás Estados MIRPS",
        "en": "{indicator}: {country} and the other MIRPS States",
    },
    "team_section_title": {
        "es": "Indicadores que reportan los equipos nacionales",
        "en": "Indicators the national teams report",
    },
    "ind_pick": {"es": "Indicador", "en": "Indicator"},
    "ind_definition": {"es": "Definición", "en": "Definition"},
    "ind_formula": {"es": "Fórmula", "en": "Formula"},
    "ind_unit": {"es": "Unidad", "en": "Unit"},
    "ind_direction": {"es": "Dirección", "en": "Direction"},
    "ind_area": {"es": "Área", "en": "Area"},
    "ind_disaggregation": {"es": "Desagregación", "en": "Disaggregation"},
    "ind_disaggregation_text": {
        "es": "Por Estado MIRPS y año; las tasas, también por nivel de decisión.",
        "en": "By MIRPS State and year; rates also by decision level.",
    },
    "ind_periodicity": {"es": "Periodicidad", "en": "Periodicity"},
    "ind_periodicity_text": {
        "es": "Anual (año calendario; existencias a fin de año)",
        "en": "Annual (calendar year; stocks at year end)",
    },
    "ind_baseline": {"es": "Línea de base", "en": "Baseline"},
    "ind_sources": {"es": "Fuentes, licencia y fecha de los datos", "en": "Sources, licence and date of data"},
    "ind_caveats": {"es": "Advertencias", "en": "Caveats"},
    "ind_by_state": {"es": "Línea de base y último valor por Estado", "en": "Baseline and latest value by State"},
    "ind_latest_year": {"es": "Último año", "en": "Latest year"},
    "ind_chart_title": {"es": "{indicator}, los siete Estados MIRPS", "en": "{indicator}, the seven MIRPS States"},
    "ind_download_csv": {"es": "Descargar CSV (con metadatos)", "en": "Download CSV (with metadata)"},
    "ind_download_xlsx": {"es": "Descargar Excel (con metadatos)", "en": "Download Excel (with metadata)"},
    "ind_unknown": {
        "es": "No hay un indicador con ese código. Elija uno de la lista.",
        "en": "There is no indicator with that code. Pick one from the list.",
    },
    "grf_title": {"es": "Compromisos del Foro Mundial sobre los Refugiados", "en": "Global Refugee Forum pledges"},
    "grf_none": {
        "es": "No se encontró ningún compromiso publicado de {country} ni conjunto del MIRPS.",
        "en": "No published pledge of {country} or joint MIRPS pledge was found.",
    },
    "grf_joint": {"es": "Estados MIRPS (conjunto)", "en": "MIRPS States (joint)"},
    "grf_umbrella": {
        "es": "página que agrupa los compromisos conjuntos (no es uno más)",
        "en": "a page grouping the joint pledges (not one more)",
    },
    "grf_lead": {"es": "coordina {country}", "en": "led by {country}"},
    "grf_status_unpublished": {"es": "estado no publicado", "en": "status not published"},
    "about_public_indicators": {
        "es": "Indicadores medidos con estadísticas públicas",
        "en": "Indicators measured with public statistics",
    },
    "about_public_indicators_lead": {
        "es": "Calculados igual para los siete Estados a partir de las cifras del ACNUR y de población; cada uno tiene "
        "su ficha con la definición, la fórmula, las fuentes y las advertencias.",
        "en": "Computed alike for the seven States from UNHCR's and the population figures; each has its page with "
        "the definition, formula, sources and caveats.",
    },
    "ind_not_documented": {
        "es": "aún no documentado por el equipo técnico nacional",
        "en": "not yet documented by the national technical team",
    },
    "ind_team_source": {"es": "Fuente de los datos", "en": "Data source"},
    "ind_team_direction_increase": {"es": "más es avance", "en": "more is progress"},
    "ind_team_direction_decrease": {"es": "menos es avance", "en": "less is progress"},
    "ind_team_chart_summary": {
        "es": "{name}: {reported} valores reportados frente al camino hacia la meta de {target} en {year}.",
        "en": "{name}: {reported} reported values against the path to the target of {target} in {year}.",
    },
    "host_rank_title": {
        "es": "Personas acogidas por cada 1.000 habitantes, {year}",
        "en": "People hosted per 1,000 inhabitants, {year}",
    },
    "pi_missing_states": {"es": "Sin cifra para: {states}.", "en": "No figure for: {states}."},
    "host_rank_note": {
        "es": "Refugiados, solicitantes de asilo y otras personas necesitadas de protección internacional que acoge "
        "cada Estado, por cada 1.000 de sus habitantes.",
        "en": "Refugees, asylum-seekers and other people in need of international protection each State hosts, per "
        "1,000 of its inhabitants.",
    },
    "illustrative_banner": {
        "es": "DATOS ILUSTRATIVOS: aún no hay valores públicos de indicadores. Los compromisos, indicadores, "
        "valores, relatos y montos marcados «ilustrativo» son inventados para mostrar el producto y no son cifras "
        "de ningún país: no los cite.",
        "en": "ILLUSTRATIVE DATA: no public indicator values exist yet. Commitments, indicators, values, narratives "
        "and amounts marked 'illustrative' are invented to show the product and are no country's figures: do not "
        "quote them.",
    },
    "illustrative_mark": {"es": "ILUSTRATIVO", "en": "ILLUSTRATIVE"},
    "filter_period": {"es": "Periodo", "en": "Period"},
    "section_matrix": {"es": "Matriz regional, {period}", "en": "Regional matrix, {period}"},
    "matrix_note": {
        "es": "Cada celda: **compromisos publicados · indicadores con algún valor hasta el periodo / indicadores "
        "· parte de esos en curso**. «—» = sin datos. Los indicadores ilustrativos de un Estado van en una fila "
        "propia, marcada, nunca sumados a los reales.",
        "en": "Each cell: **published commitments · indicators with a value up to the period / indicators · share "
        "of those on track**. '—' = no data. A State's illustrative indicators have a row of their own, marked, "
        "never added to the real ones.",
    },
    "matrix_cell": {
        "es": "{commitments} · {with_data}/{indicators} · {on_track}",
        "en": "{commitments} · {with_data}/{indicators} · {on_track}",
    },
    "matrix_cell_no_indicators": {
        "es": "{commitments} · — (sin indicadores)",
        "en": "{commitments} · — (no indicators)",
    },
    "rule_title": {"es": "Cómo se calcula el estado", "en": "How the status is computed"},
    "rule_text": {
        "es": "Se compara la parte del camino de la línea de base a la meta ya recorrida con la parte del tiempo "
        "transcurrido. **● En curso**: avance ≥ tiempo transcurrido (o meta alcanzada). **▲ En riesgo**: avance "
        "≥ la mitad del tiempo transcurrido, en la dirección correcta. **■ Desviado**: lo demás, incluido "
        "alejarse de la meta. **○ Sin reporte**: sin valor (nunca cero). La flecha compara el último valor con el "
        "anterior: ↗ hacia la meta, ↘ alejándose, → sin cambio. Como en los tableros de los ODS.",
        "en": "The share of the way from baseline to target already covered is compared with the share of the "
        "time elapsed. **● On track**: progress ≥ time elapsed (or target reached). **▲ At risk**: progress ≥ "
        "half the time elapsed, in the right direction. **■ Off track**: the rest, including moving away from "
        "the target. **○ Not reported**: no value (never zero). The arrow compares the latest value with the one "
        "before: ↗ towards the target, ↘ away, → no change. As the SDG dashboards do.",
    },
    "status_on_track": {"es": "● En curso", "en": "● On track"},
    "status_at_risk": {"es": "▲ En riesgo", "en": "▲ At risk"},
    "status_off_track": {"es": "■ Desviado", "en": "■ Off track"},
    "status_not_reported": {"es": "○ Sin reporte", "en": "○ Not reported"},
    "trend_towards": {"es": "↗", "en": "↗"},
    "trend_away": {"es": "↘", "en": "↘"},
    "trend_flat": {"es": "→", "en": "→"},
    "coverage": {
        "es": "{reported} de {total} indicadores reportados para {period}",
        "en": "{reported} of {total} indicators reported for {period}",
    },
    "no_plan_data": {
        "es": "{country} aún no ha reportado compromisos con indicadores. El equipo técnico nacional puede "
        "reportarlos en la página Datos.",
        "en": "{country} has not reported commitments with indicators yet. The national technical team can report "
        "them on the Data page.",
    },
    "indicator_line": {
        "es": "Línea de base {baseline} ({baseline_year}) → último {latest} ({latest_year}) → "
        "meta {target} ({target_year})",
        "en": "Baseline {baseline} ({baseline_year}) → latest {latest} ({latest_year}) → "
        "target {target} ({target_year})",
    },
    "validated": {"es": "Validado el {when}", "en": "Validated on {when}"},
    "not_validated": {"es": "Sin validación registrada", "en": "No validation recorded"},
    "section_narrative": {"es": "Capítulo nacional, {period}", "en": "National chapter, {period}"},
    "narrative_none": {
        "es": "Sin relato publicado para este periodo.",
        "en": "No narrative published for this period.",
    },
    "commitment_card": {"es": "Ficha del compromiso", "en": "Commitment card"},
    "col_commitment": {"es": "Compromiso", "en": "Commitment"},
    "col_gap": {"es": "Brecha (USD)", "en": "Gap (USD)"},
    "col_indicator": {"es": "Indicador", "en": "Indicator"},
    "col_unit": {"es": "Unidad", "en": "Unit"},
    "col_baseline": {"es": "Línea de base", "en": "Baseline"},
    "col_latest": {"es": "Último valor", "en": "Latest value"},
    "col_latest_period": {"es": "Periodo del último valor", "en": "Latest period"},
    "col_target": {"es": "Meta", "en": "Target"},
    "col_target_year": {"es": "Año meta", "en": "Target year"},
    "col_validated_by": {"es": "Validado por", "en": "Validated by"},
    "section_indicator_table": {"es": "Indicadores de {country}, {period}", "en": "Indicators of {country}, {period}"},
    "section_unfunded": {"es": "Compromisos que esperan financiamiento", "en": "Commitments awaiting funding"},
    "unfunded_lead": {
        "es": "Para donantes: cada compromiso con su necesidad costeada, lo prometido, comprometido y pagado, y la "
        "brecha que queda. Descargable como resumen breve.",
        "en": "For donors: each commitment with its costed need, what was pledged, committed and paid, and the gap "
        "that remains. Downloadable as a short brief.",
    },
    "funding_note": {
        "es": "Financiamiento = comprometido + pagado (flujos distintos, como en el FTS de OCHA); lo prometido se "
        "muestra aparte y no cierra la brecha.",
        "en": "Funding = committed + paid (separate flows, as in OCHA's FTS); pledges are shown apart and do not "
        "close the gap.",
    },
    "funding_by_theme": {"es": "Por país y área", "en": "By country and focus area"},
    "funding_by_commitment": {"es": "Por compromiso", "en": "By commitment"},
    "unfunded_none": {
        "es": "Aún no hay compromisos con necesidades costeadas. Los equipos técnicos nacionales pueden registrarlas.",
        "en": "No commitment has a costed need yet. The national technical teams can enter them.",
    },
    "costed_need": {"es": "Necesidad costeada", "en": "Costed need"},
    "funding_pledged": {"es": "Prometido", "en": "Pledged"},
    "funding_committed": {"es": "Comprometido", "en": "Committed"},
    "funding_paid": {"es": "Pagado", "en": "Paid"},
    "funding_gap": {"es": "Brecha (necesidad − comprometido − pagado)", "en": "Gap (need − committed − paid)"},
    "working_group_none": {"es": "Grupo de trabajo: no asignado", "en": "Working group: not assigned"},
    "legend_needed": {"es": "Trayectoria necesaria", "en": "Needed trajectory"},
    "legend_reported": {"es": "Valores reportados", "en": "Reported values"},
    "legend_target": {"es": "Meta", "en": "Target"},
    "unit_%": {"es": "%", "en": "%"},
    "unit_days": {"es": "días", "en": "days"},
    "unit_people": {"es": "personas", "en": "people"},
    "unit_households": {"es": "hogares", "en": "households"},
    # cities page
    "cities_title": {"es": "Ciudades Solidarias", "en": "Cities of Solidarity"},
    "cities_lead": {
        "es": "Municipios reconocidos o en camino en la iniciativa Ciudades Solidarias de ACNUR. El grupo de "
        "trabajo de Gobernanza Local busca integrarlos en una red. El mapa funciona sin conexión.",
        "en": "Municipalities recognized, or on their way, in UNHCR's Cities of Solidarity initiative. The Local "
        "Governance working group seeks to join them into a network. The map works offline.",
    },
    "filter_status": {"es": "Estado", "en": "Status"},
    "cities_count_title": {"es": "Ciudades por país", "en": "Cities per country"},
    "cities_count_none": {"es": "ninguna ciudad reportada", "en": "no city reported"},
    "cities_selected": {"es": "Ciudad seleccionada", "en": "Selected city"},
    "tab_cities_map": {"es": "Mapa", "en": "Map"},
    "tab_cities_zoom": {"es": "Acercar y desplazar", "en": "Zoom and pan"},
    "cities_point_note": {
        "es": "Cada punto es el centro urbano (GeoNames), no el límite municipal; su tamaño sigue la población "
        "del lugar según GeoNames.",
        "en": "Each point is the town centre (GeoNames), not the municipal boundary; its size follows the "
        "place's population in GeoNames.",
    },
    "cities_drawn_apart": {
        "es": "Tan cerca que sus puntos se taparían: dibujadas una junto a otra, algo desplazadas de su lugar, "
        "para que se vea cada una: {cities}.",
        "en": "So close that their dots would cover each other: drawn side by side, slightly off their place, so "
        "that each can be seen: {cities}.",
    },
    "cities_none_selected": {
        "es": "Ninguna ciudad con estos filtros.",
        "en": "No city with these filters.",
    },
    "col_municipality": {"es": "Municipio", "en": "Municipality"},
    "col_population": {"es": "Población (GeoNames)", "en": "Population (GeoNames)"},
    "section_flows_map": {"es": "Mapa de flujos", "en": "Flows map"},
    "arc_origin_end": {"es": "Origen (inicio de la línea)", "en": "Origin (line start)"},
    "arc_asylum_end": {"es": "Asilo (fin de la línea)", "en": "Asylum (line end)"},
    # The flows map draws the countries of its outlines (Natural Earth 1:110m, the Americas): why others are not
    "flows_off_map": {
        "es": "Sin línea en el mapa, aunque cuentan en la tabla: {reasons}.",
        "en": "No line on the map, though they count in the table: {reasons}.",
    },
    "flows_off_map_outside_americas": {
        "es": "fuera de las Américas, que es lo que muestra el mapa ({places})",
        "en": "outside the Americas, which is what the map shows ({places})",
    },
    "flows_off_map_no_outline": {
        "es": "en las Américas, pero sin contorno propio en los contornos 1:110m del mapa, que omiten las islas "
        "pequeñas y cuentan los territorios de ultramar con su metrópoli ({places})",
        "en": "in the Americas, but without an outline of their own in the map's 1:110m outlines, which leave out "
        "small islands and count overseas territories with their home country ({places})",
    },
    "flows_off_map_no_country": {
        "es": "sin país que situar: los códigos de ACNUR para origen desconocido y apatridia ({places})",
        "en": "no country to place: UNHCR's codes for unknown origin and for stateless people ({places})",
    },
    "section_choropleth": {"es": "Mapa de los Estados MIRPS, {year}", "en": "Map of the MIRPS States, {year}"},
    # a choropleth's classes: from a round bound up to the next; the lowest and highest open-ended
    "class_below": {"es": "menos de {high}", "en": "under {high}"},
    "class_between": {"es": "{low} a menos de {high}", "en": "{low} to under {high}"},
    "class_above": {"es": "{low} o más", "en": "{low} or more"},
    # imports
    "imp_too_large": {"es": "el archivo pasa de {limit} MB", "en": "the file is larger than {limit} MB"},
    "imp_empty_file": {"es": "el archivo está vacío", "en": "the file is empty"},
    "imp_unexpected_column": {"es": "columna no esperada", "en": "unexpected column"},
    "imp_duplicate_column": {"es": "columna repetida", "en": "the column appears twice"},
    "imp_missing_column": {"es": "falta la columna", "en": "the column is missing"},
    "imp_too_many_rows": {"es": "más de {limit} filas", "en": "more than {limit} rows"},
    "imp_wrong_cell_count": {
        "es": "la fila tiene {found} celdas y se esperaban {expected}",
        "en": "the row has {found} cells, {expected} expected",
    },
    "imp_unknown_indicator": {
        "es": "«{value}» no es un indicador conocido",
        "en": "'{value}' is not a known indicator",
    },
    "imp_bad_period": {
        "es": "«{value}» no es un año entre 2000 y {last}",
        "en": "'{value}' is not a year between 2000 and {last}",
    },
    "imp_not_a_number": {
        "es": "«{value}» no es un número (escriba 1234,5 o 1234.5, sin separador de miles ambiguo)",
        "en": "'{value}' is not a number (write 1234.5 or 1234,5, without an ambiguous thousands separator)",
    },
    "imp_negative": {"es": "«{value}» es negativo", "en": "'{value}' is negative"},
    "imp_bad_version": {"es": "«{value}» no es un número de versión", "en": "'{value}' is not a version number"},
    "imp_duplicate_row": {"es": "repite la fila {first_row}", "en": "repeats row {first_row}"},
    "imp_no_rows": {"es": "el archivo no tiene filas de datos", "en": "the file has no data rows"},
    "imp_conflict": {
        "es": "alguien cambió este valor desde que lo leyó (versión {expected}, ahora {found}); vuelva a leerlo",
        "en": "someone changed this value since you read it (version {expected}, now {found}); read it again",
    },
    "imp_changed_since_review": {
        "es": "{indicator} cambió desde que lo revisó (versión {seen}, ahora {now}); revise el lote de nuevo",
        "en": "{indicator} changed since you reviewed it (version {seen}, now {now}); review the batch again",
    },
    # file formats (intake): what cannot be read at all, before any cell's meaning is checked
    "imp_binary_file": {
        "es": "el archivo no es un texto CSV ni un libro XLSX; guárdelo como CSV o XLSX",
        "en": "the file is neither CSV text nor an XLSX workbook; save it as CSV or XLSX",
    },
    "imp_legacy_excel": {
        "es": "es un libro de Excel 97-2003 (.xls) o con contraseña; guárdelo como .xlsx sin contraseña o como CSV",
        "en": "this is an Excel 97-2003 (.xls) or password-protected workbook; save it as .xlsx without one or as CSV",
    },
    "imp_unknown_encoding": {
        "es": "no se reconoce la codificación del texto; guárdelo como «CSV UTF-8»",
        "en": 'the text encoding is not recognised; save it as "CSV UTF-8"',
    },
    "imp_bad_csv": {
        "es": "el CSV está mal formado aquí (¿unas comillas sin cerrar?)",
        "en": "the CSV is malformed here (an unclosed quote?)",
    },
    "imp_control_character": {
        "es": "la celda contiene un carácter de control invisible ({char}); bórrelo",
        "en": "the cell contains an invisible control character ({char}); delete it",
    },
    "imp_cell_too_long": {
        "es": "la celda tiene {length} caracteres; el máximo es {limit}",
        "en": "the cell has {length} characters; the limit is {limit}",
    },
    "imp_too_many_columns": {
        "es": "la fila tiene más de {limit} columnas",
        "en": "the row has more than {limit} columns",
    },
    "imp_sheet_too_large": {
        "es": "la hoja llega más allá de la fila {rows} o de la columna {columns}; borre las filas y columnas "
        "que sobran bajo y a la derecha de los datos, o guárdela como CSV",
        "en": "the sheet reaches beyond row {rows} or column {columns}; delete the spare rows and columns "
        "below and to the right of the data, or save it as CSV",
    },
    "imp_too_many_cells": {
        "es": "el libro contiene más datos que una hoja de {rows} filas y {columns} columnas; deje solo la hoja "
        "de datos o guárdela como CSV",
        "en": "the workbook holds more than a sheet of {rows} rows and {columns} columns; keep the data sheet "
        "alone or save it as CSV",
    },
    "imp_too_slow": {
        "es": "leer el archivo llevó más de {limit} segundos y se detuvo; guárdelo de nuevo como CSV o divídalo",
        "en": "reading the file took more than {limit} seconds and was stopped; save it again as CSV or split it",
    },
    "imp_not_xlsx": {
        "es": "no es un libro XLSX válido; ábralo en Excel y guárdelo de nuevo como .xlsx o como CSV",
        "en": "this is not a valid XLSX workbook; open it in Excel and save it again as .xlsx or as CSV",
    },
    "imp_zip_bomb": {
        "es": "el libro se descomprime a más de {limit} MB o de forma sospechosa; no se abrió",
        "en": "the workbook unpacks to more than {limit} MB or suspiciously; it was not opened",
    },
    "imp_macros": {
        "es": "el libro contiene macros (.xlsm o vbaProject.bin); guárdelo como .xlsx sin macros o como CSV",
        "en": "the workbook contains macros (.xlsm or vbaProject.bin); save it as .xlsx without macros or as CSV",
    },
    "imp_unsafe_xlsx": {
        "es": "el libro contiene declaraciones XML (DTD) que no se aceptan; guárdelo de nuevo desde Excel",
        "en": "the workbook contains XML declarations (DTD) that are not accepted; save it again from Excel",
    },
    "imp_formula": {
        "es": "la celda {cell} contiene una fórmula; copie y pegue solo los valores",
        "en": "cell {cell} contains a formula; copy and paste the values only",
    },
    "imp_more_problems": {"es": "y {count} problemas más", "en": "and {count} more problems"},
    "imp_where_row_column": {"es": "Fila {row}, columna {column}", "en": "Row {row}, column {column}"},
    "imp_where_row": {"es": "Fila {row}", "en": "Row {row}"},
    "imp_where_file": {"es": "Archivo", "en": "File"},
    "imp_refused": {
        "es": "No autorizado: {detail}. El intento quedó registrado; no se escribió nada.",
        "en": "Not allowed: {detail}. The attempt was logged; nothing was written.",
    },
    "imp_locked": {
        "es": "el período {period} está aprobado y bloqueado; pida a la Secretaría Técnica que lo desbloquee",
        "en": "period {period} is approved and locked; ask the Technical Secretariat to unlock it",
    },
    "imp_ambiguous_number": {
        "es": "«{value}» puede leerse como miles o como decimales: escriba 1234 o 1,5 sin separador de miles",
        "en": "'{value}' reads as thousands or as decimals: write 1234 or 1.5 with no thousands separator",
    },
    # reference files: what the shipped data keeps beyond its types (`reference.RULES`)
    "imp_not_mirps_state": {
        "es": "«{value}» no es un Estado MIRPS ({allowed})",
        "en": "'{value}' is not a MIRPS State ({allowed})",
    },
    "imp_not_mirps_state_or_joint": {
        "es": "«{value}» no es un Estado MIRPS ni REGION, un compromiso conjunto ({allowed})",
        "en": "'{value}' is neither a MIRPS State nor REGION, a joint pledge ({allowed})",
    },
    "imp_not_pledge_level": {
        "es": "«{value}» no es un nivel de compromiso ({allowed})",
        "en": "'{value}' is not a pledge level ({allowed})",
    },
    "imp_not_grf_year": {
        "es": "«{value}» no es un año del Foro Mundial sobre los Refugiados (de {first} a {last})",
        "en": "'{value}' is not a Global Refugee Forum year ({first} to {last})",
    },
    "imp_pledge_level_entity": {
        "es": "«{value}» no va con el nivel {level}: el nivel national es de un Estado MIRPS; regional_joint y "
        "regional_umbrella, de REGION",
        "en": "'{value}' does not go with level {level}: national is a MIRPS State's; regional_joint and "
        "regional_umbrella are REGION's",
    },
    "imp_out_of_range": {
        "es": "«{value}» queda fuera de la región MIRPS (entre {low} y {high})",
        "en": "'{value}' is outside the MIRPS region (between {low} and {high})",
    },
    "imp_bad_date": {
        "es": "«{value}» no es una fecha válida AAAA-MM-DD",
        "en": "'{value}' is not a valid YYYY-MM-DD date",
    },
    "imp_bad_partial_date": {
        "es": "«{value}» no es una fecha válida (AAAA, AAAA-MM o AAAA-MM-DD)",
        "en": "'{value}' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)",
    },
    "imp_bad_date_range": {
        "es": "«{value}» no es una fecha (AAAA, AAAA-MM o AAAA-MM-DD) ni un período AAAA/AAAA que termine "
        "después de empezar",
        "en": "'{value}' is neither a date (YYYY, YYYY-MM or YYYY-MM-DD) nor a YYYY/YYYY period that ends "
        "after it starts",
    },
    "imp_end_before_start": {
        "es": "termina ({value}) antes de empezar ({start})",
        "en": "it ends ({value}) before it starts ({start})",
    },
    "imp_bad_url": {
        "es": "«{value}» no es un enlace web (http:// o https://; varios, separados por « ; »)",
        "en": "'{value}' is not a web link (http:// or https://; several, separated by ' ; ')",
    },
    "imp_comment_needed": {
        "es": "escriba un comentario que diga qué corregir",
        "en": "write a comment saying what to correct",
    },
    "imp_summary_preview": {
        "es": "Vista previa: {new} nuevos, {changed} cambiados, {unchanged} sin cambios. Nada se ha guardado aún.",
        "en": "Preview: {new} new, {changed} changed, {unchanged} unchanged. Nothing has been saved yet.",
    },
    # sign-in and accounts
    "auth_title": {"es": "Iniciar sesión", "en": "Sign in"},
    "auth_username": {"es": "Usuario", "en": "Username"},
    "auth_password": {"es": "Contraseña", "en": "Password"},
    "auth_submit": {"es": "Entrar", "en": "Sign in"},
    "auth_refused": {
        "es": "No se pudo iniciar sesión. Revise el usuario y la contraseña; tras varios intentos fallidos, "
        "espere {minutes} minutos antes de volver a intentarlo.",
        "en": "Could not sign in. Check the username and password; after several failed attempts, wait "
        "{minutes} minutes before trying again.",
    },
    "auth_needed": {
        "es": "Esta página es para los equipos que mantienen las cifras: inicie sesión para continuar.",
        "en": "This page is for the teams who keep the figures: sign in to continue.",
    },
    "auth_signed_in_as": {"es": "Sesión de {name} ({role})", "en": "Signed in as {name} ({role})"},
    "auth_sign_out": {"es": "Cerrar sesión", "en": "Sign out"},
    "auth_signed_out": {"es": "Sesión cerrada.", "en": "Signed out."},
    "auth_sign_in_link": {"es": "Iniciar sesión", "en": "Sign in"},
    "auth_role_refused": {
        "es": "Su rol ({role}) no da acceso a esta página.",
        "en": "Your role ({role}) does not give access to this page.",
    },
    "auth_weak_key": {
        "es": "El tablero no puede iniciar: falta la clave de las cookies de sesión o tiene menos de 32 bytes. "
        "La administración debe definir MIRPS_COOKIE_KEY (o auth.cookie_key en los secretos).",
        "en": "The dashboard cannot start: the session cookie key is missing or shorter than 32 bytes. "
        "The administrator must set MIRPS_COOKIE_KEY (or auth.cookie_key in the secrets).",
    },
    "userrole_admin": {"es": "Secretaría Técnica", "en": "Technical Secretariat"},
    "userrole_ppt": {"es": "Presidencia Pro Tempore", "en": "Pro-Tempore Presidency"},
    "userrole_ntt": {"es": "equipo técnico nacional", "en": "national technical team"},
    "userrole_viewer": {"es": "lectura", "en": "viewer"},
    "userrole_public": {"es": "público", "en": "public"},
    "acct_weak_password": {
        "es": "la contraseña debe tener al menos {minimum} caracteres",
        "en": "the password must have at least {minimum} characters",
    },
    "acct_bad_username": {
        "es": "el usuario debe tener de 2 a 80 letras minúsculas, cifras, puntos, guiones o guiones bajos",
        "en": "the username must have 2 to 80 lower-case letters, digits, dots, hyphens or underscores",
    },
    "acct_bad_role": {"es": "rol desconocido: {role}", "en": "unknown role: {role}"},
    "acct_ntt_needs_country": {
        "es": "una cuenta de equipo técnico nacional necesita su país (--country)",
        "en": "a national technical team account needs its country (--country)",
    },
    "acct_user_exists": {"es": "ya existe la cuenta {username}", "en": "the account {username} exists already"},
    "acct_unknown_user": {"es": "no existe la cuenta {username}", "en": "there is no account {username}"},
    "acct_passwords_differ": {"es": "las contraseñas no coinciden", "en": "the passwords differ"},
    "cli_password": {"es": "Contraseña: ", "en": "Password: "},
    "cli_password_again": {"es": "Repita la contraseña: ", "en": "Password again: "},
    # backup and restore (command line); every refusal changes nothing
    "bak_err_unreadable": {
        "es": "no se pudo leer el archivo ({why}); no se cambió nada",
        "en": "the file could not be read ({why}); nothing was changed",
    },
    "bak_err_not_backup": {
        "es": "el archivo no es una copia de seguridad de MIRPS Dashboard o está dañado; no se cambió nada",
        "en": "the file is not a MIRPS Dashboard backup, or it is damaged; nothing was changed",
    },
    "bak_err_revision": {
        "es": "la copia es del esquema {found} y esta base de datos está en {current}; no se cambió nada",
        "en": "the backup is of schema {found} and this database is at {current}; nothing was changed",
    },
    "bak_err_missing_tables": {
        "es": "la copia está incompleta: le faltan las tablas {tables}; no se cambió nada",
        "en": "the backup is incomplete: it lacks the tables {tables}; nothing was changed",
    },
    "bak_err_unknown_tables": {
        "es": "la copia tiene tablas que esta versión no conoce ({tables}); no se cambió nada",
        "en": "the backup holds tables this version does not know ({tables}); nothing was changed",
    },
    "bak_err_manifest": {
        "es": "el índice de la copia no corresponde a sus tablas ({tables}); no se cambió nada",
        "en": "the backup's manifest does not match its tables ({tables}); nothing was changed",
    },
    "bak_err_bad_table": {
        "es": "la tabla {table} de la copia está mal formada o no tiene las columnas de este esquema; "
        "no se cambió nada",
        "en": "table {table} in the backup is malformed or lacks this schema's columns; nothing was changed",
    },
    "bak_err_count": {
        "es": "tabla {table}: el índice dice {expected} filas y el archivo tiene {found}; la copia está incompleta "
        "o fue editada; no se cambió nada",
        "en": "table {table}: the manifest says {expected} rows and the file holds {found}; the backup is "
        "incomplete or was edited; nothing was changed",
    },
    "bak_err_checksum": {
        "es": "la tabla {table} no coincide con su suma de control: la copia está dañada o fue editada; "
        "no se cambió nada",
        "en": "table {table} does not match its checksum: the backup is damaged or was edited; nothing was changed",
    },
    "bak_err_bad_row": {
        "es": "tabla {table}, fila {row}: no tiene las columnas de la tabla; no se cambió nada",
        "en": "table {table}, row {row}: it does not have the table's columns; nothing was changed",
    },
    "bak_err_bad_cell": {
        "es": "tabla {table}, fila {row}, columna {column}: el valor no es del tipo de la columna; no se cambió nada",
        "en": "table {table}, row {row}, column {column}: the value is not of the column's type; nothing was changed",
    },
    "bak_err_keep_failed": {
        "es": "no se pudo guardar una copia del contenido actual en {path} ({why}); no se cambió nada",
        "en": "could not keep a copy of the current content in {path} ({why}); nothing was changed",
    },
    "bak_err_refused_rows": {
        "es": "la base de datos rechazó las filas de la copia ({why}); no se cambió nada",
        "en": "the database refused the backup's rows ({why}); nothing was changed",
    },
    "bak_restored": {"es": "Restaurado desde {file}:", "en": "Restored from {file}:"},
    "bak_sessions_ended": {
        "es": "Sesiones cerradas: {n}; cada persona vuelve a iniciar sesión.",
        "en": "Sessions ended: {n}; everyone signs in again.",
    },
    "bak_kept": {
        "es": "El contenido reemplazado quedó guardado en {path}",
        "en": "The replaced content is kept in {path}",
    },
    "bak_unchecked": {
        "es": "Esta copia no tiene índice (es de una versión anterior): se comprobó que está completa, pero no "
        "sus sumas de control. Haga ahora una copia nueva.",
        "en": "This backup has no manifest (an earlier version made it): it was checked for completeness, not "
        "against checksums. Make a new backup now.",
    },
    # data page
    "data_section": {"es": "Sección", "en": "Section"},
    "data_section_enter": {"es": "Ingresar cifras", "en": "Enter figures"},
    "data_section_review": {"es": "Revisión y publicación", "en": "Review and publishing"},
    "data_section_history": {"es": "Historial", "en": "History"},
    "data_section_audit": {"es": "Auditoría", "en": "Audit log"},
    "data_section_reference": {"es": "Datos de referencia", "en": "Reference data"},
    "data_reference_kind": {"es": "Tabla", "en": "Table"},
    "data_kind_cities": {"es": "Ciudades Solidarias", "en": "Cities of Solidarity"},
    "data_kind_commitments": {"es": "Compromisos por área", "en": "Commitments by focus area"},
    "data_kind_events": {"es": "Calendario del plan de trabajo", "en": "Work plan calendar"},
    "data_kind_pledges": {
        "es": "Compromisos del Foro Mundial sobre los Refugiados",
        "en": "Global Refugee Forum pledges",
    },
    "data_kind_facts": {
        "es": "Hechos MIRPS (incluye contribuciones y necesidades)",
        "en": "MIRPS facts (pledges and needs included)",
    },
    "data_reference_current": {"es": "Contenido actual (CSV)", "en": "Current content (CSV)"},
    "data_reference_preview": {
        "es": "Vista previa: {new} nuevas, {changed} cambiadas, {unchanged} sin cambios, {removed} eliminadas. "
        "Nada se ha guardado aún.",
        "en": "Preview: {new} new, {changed} changed, {unchanged} unchanged, {removed} removed. "
        "Nothing has been saved yet.",
    },
    "data_reference_apply": {
        "es": "Reemplazar la tabla (se guarda la versión anterior)",
        "en": "Replace the table (the previous version is kept)",
    },
    "data_reference_done": {"es": "Tabla reemplazada.", "en": "Table replaced."},
    "data_template_name": {"es": "plantilla", "en": "template"},
    "data_template_csv": {"es": "Plantilla CSV", "en": "CSV template"},
    "data_template_xlsx": {"es": "Plantilla Excel", "en": "Excel template"},
    "data_how": {"es": "Cómo ingresar", "en": "How to enter"},
    "data_how_upload": {"es": "Subir un archivo", "en": "Upload a file"},
    "data_how_grid": {"es": "Editar en la tabla", "en": "Edit in the grid"},
    "data_grid_help": {
        "es": "Escriba el valor nuevo de cada indicador que quiera reportar; las filas que deje vacías no se "
        "envían. Verá lo que cambia antes de enviarlo.",
        "en": "Type the new value of each indicator you want to report; rows left empty are not sent. You will "
        "see what changes before you submit it.",
    },
    "data_grid_current": {"es": "Valor reportado", "en": "Reported value"},
    "data_grid_problems": {
        "es": "La tabla tiene {n} problema(s); no se guardó nada. Corríjalos en la tabla.",
        "en": "The grid has {n} problem(s); nothing was saved. Correct them in the grid.",
    },
    "col_comment": {"es": "Comentario", "en": "Comment"},
    "imp_col_value": {"es": "Valor", "en": "Value"},
    "data_upload": {
        "es": "Archivo CSV o Excel (plantilla), de hasta {mb} MB",
        "en": "CSV or Excel file (the template), up to {mb} MB",
    },
    "upload_choose": {"es": "Elegir archivo", "en": "Choose file"},
    "data_problems": {
        "es": "El archivo tiene {n} problema(s); no se guardó nada. Corríjalos y vuelva a subirlo.",
        "en": "The file has {n} problem(s); nothing was saved. Correct them and upload it again.",
    },
    "data_new": {"es": "nuevo", "en": "new"},
    "data_changed": {"es": "cambiado", "en": "changed"},
    "data_reason": {"es": "Motivo del cambio (opcional)", "en": "Reason for the change (optional)"},
    "data_submit": {"es": "Enviar para aprobación", "en": "Submit for approval"},
    "data_saved": {
        "es": "Guardado y enviado para aprobación: {new} nuevos, {changed} cambiados, {unchanged} sin cambios.",
        "en": "Saved and sent for approval: {new} new, {changed} changed, {unchanged} unchanged.",
    },
    "data_refused": {
        "es": "Su cuenta no puede hacer este cambio; el intento quedó registrado.",
        "en": "Your account may not make this change; the attempt was logged.",
    },
    "data_queue_empty": {"es": "No hay cifras reportadas todavía.", "en": "No figures have been reported yet."},
    "data_review_ntt": {
        "es": "La Presidencia Pro Tempore aprueba o devuelve lo enviado; vea los comentarios en el historial.",
        "en": "The Pro-Tempore Presidency approves or returns what was submitted; see comments in the history.",
    },
    "data_nothing_waiting": {
        "es": "Nada espera aprobación ni publicación.",
        "en": "Nothing awaits approval or publishing.",
    },
    "data_pick_batch": {"es": "País y período", "en": "Country and period"},
    "data_comment": {"es": "Comentario", "en": "Comment"},
    "data_approve": {"es": "Aprobar", "en": "Approve"},
    "data_return": {"es": "Devolver con comentario", "en": "Return with comment"},
    "data_publish": {"es": "Publicar", "en": "Publish"},
    "data_unlock": {"es": "Desbloquear", "en": "Unlock"},
    "data_moved": {"es": "{n} valor(es) actualizados.", "en": "{n} value(s) updated."},
    "data_review_values": {
        "es": "Los valores del lote, tal como los aprueba, devuelve o publica:",
        "en": "The batch's values, exactly as you approve, return or publish them:",
    },
    "data_changed_since_review": {
        "es": "El lote cambió desde que lo revisó; no se movió nada. Revise de nuevo los valores y vuelva a decidir.",
        "en": "The batch changed since you reviewed it; nothing was moved. Review the values again and decide again.",
    },
    "col_reported_value": {"es": "Valor", "en": "Value"},
    "data_unlocked": {"es": "Período desbloqueado.", "en": "Period unlocked."},
    "data_no_history": {
        "es": "Este país aún no tiene valores reportados.",
        "en": "No values reported for this country yet.",
    },
    "data_history_none": {
        "es": "Sin cambios registrados desde que se cargó: valor {value}, versión {version}.",
        "en": "No changes recorded since it was loaded: value {value}, version {version}.",
    },
    "data_pick_value": {"es": "Valor", "en": "Value"},
    "data_revert_to": {"es": "Volver a la versión", "en": "Revert to version"},
    "data_revert": {"es": "Revertir (crea una versión nueva)", "en": "Revert (makes a new version)"},
    "data_reverted": {
        "es": "Se restauró el valor de la versión {version}.",
        "en": "The value of version {version} is back.",
    },
    "col_row": {"es": "Fila", "en": "Row"},
    "col_column": {"es": "Columna", "en": "Column"},
    "col_message": {"es": "Problema", "en": "Problem"},
    "col_indicator_code": {"es": "Código del indicador", "en": "Indicator code"},
    "col_period": {"es": "Período", "en": "Period"},
    "col_old_value": {"es": "Valor anterior", "en": "Old value"},
    "col_new_value": {"es": "Valor nuevo", "en": "New value"},
    "col_locked": {"es": "Bloqueado", "en": "Locked"},
    "col_version": {"es": "Versión", "en": "Version"},
    "col_changed_by": {"es": "Por", "en": "By"},
    "col_changed_at": {"es": "Cuándo", "en": "When"},
    "col_reason": {"es": "Motivo", "en": "Reason"},
    "col_action": {"es": "Acción", "en": "Action"},
    "col_outcome": {"es": "Resultado", "en": "Outcome"},
    "col_detail": {"es": "Detalle", "en": "Detail"},
    "status_draft": {"es": "Borrador", "en": "Draft"},
    "status_submitted": {"es": "Enviados", "en": "Submitted"},
    "status_returned": {"es": "Devueltos", "en": "Returned"},
    "status_approved": {"es": "Aprobados", "en": "Approved"},
    "status_published": {"es": "Publicados", "en": "Published"},
    "imp_summary": {
        "es": "{new} nuevos, {changed} cambiados, {unchanged} sin cambios",
        "en": "{new} new, {changed} changed, {unchanged} unchanged",
    },
    # presentation
    "present_previous": {"es": "◀ Anterior", "en": "◀ Previous"},
    "present_next": {"es": "Siguiente ▶", "en": "Next ▶"},
    "present_slide": {"es": "{n} / {total}", "en": "{n} / {total}"},
    "present_start": {"es": "Presentar", "en": "Present"},
    "slide_headline": {"es": "La región a fin de {year}", "en": "The region at the end of {year}"},
    "slide_trend_asylum": {
        "es": "Acogidas en países MIRPS, {start}–{end}",
        "en": "Hosted in MIRPS countries, {start}–{end}",
    },
    "slide_trend_origin": {
        "es": "Originarias de países MIRPS, {start}–{end}",
        "en": "From MIRPS countries, {start}–{end}",
    },
    "slide_by_country": {"es": "Por país, {year}", "en": "By country, {year}"},
    "slide_plans": {
        "es": "{n} compromisos por área en los {countries} planes nacionales que los publican así",
        "en": "{n} commitments by focus area in the {countries} national plans that publish them so",
    },
    "slide_cities": {
        "es": "Ciudades Solidarias: {recognized} reconocidas y {on_way} en camino, en {countries} países",
        "en": "Cities of Solidarity: {recognized} recognized and {on_way} on their way, in {countries} countries",
    },
    "cities_status_note": {"es": "Municipios por etapa: {counts}.", "en": "Municipalities by step: {counts}."},
    "slide_workplan": {
        "es": "Plan de trabajo {year} de la Presidencia: {n} eventos",
        "en": "The Presidency's {year} work plan: {n} events",
    },
    "slide_workplan_none": {"es": "Plan de trabajo: sin calendario cargado", "en": "Work plan: no calendar loaded"},
    "slide_support": {
        "es": "Plataforma de Apoyo: lo anunciado y el Fondo MIRPS",
        "en": "Support Platform: what was announced, and the MIRPS Fund",
    },
    "support_F13": {"es": "Primer Evento de Solidaridad", "en": "First Solidarity Event"},
    "support_F20": {"es": "Segundo Evento de Solidaridad", "en": "Second Solidarity Event"},
    "support_F17": {"es": "Fondo MIRPS (OEA): primer aporte", "en": "MIRPS Fund (OAS): first contribution"},
    "support_F22": {"es": "Fondo MIRPS: personas beneficiadas", "en": "MIRPS Fund: people who benefited"},
    "lower_bound_note": {"es": "al menos esta cifra, según la fuente", "en": "at least this much, as the source says"},
    "col_cities": {"es": "Ciudades", "en": "Cities"},
    "slide_idps": {"es": "Desplazamiento interno, {year}", "en": "Internal displacement, {year}"},
    "slide_country": {"es": "{country}, fin de {year}", "en": "{country}, end of {year}"},
    "slide_country_flows": {
        "es": "{country}: dónde están sus personas, {year}",
        "en": "{country}: where its people are, {year}",
    },
    "slide_country_hosts": {
        "es": "{country}: de dónde vienen las personas que acoge, {year}",
        "en": "{country}: where the people it hosts come from, {year}",
    },
    "slide_protection": {
        "es": "{country}: asilo y protección, {year}",
        "en": "{country}: asylum and protection, {year}",
    },
    "slide_protection_people": {
        "es": "{country}: espera y acogida, {year}",
        "en": "{country}: waiting and hosting, {year}",
    },
    "pi_card_change": {"es": "{change} desde {year}", "en": "{change} since {year}"},
    "pi_card_baseline": {"es": "{year}: {value} · {assessment}", "en": "{year}: {value} · {assessment}"},
    "pi_card_missing": {"es": "{reason} · {year}: {value}", "en": "{reason} · {year}: {value}"},
    "pi_slide_note": {
        "es": "Cambio desde {baseline}. Se valora más allá del 5 % (conteos) o de 1 punto (tasas); solicitudes, tasas "
        "y acogida: contexto.",
        "en": "Change since {baseline}. A verdict beyond 5% (counts) or 1 point (rates); applications, rates and "
        "hosting: context.",
    },
    "present_auto": {"es": "Avance automático", "en": "Auto-advance"},
    "present_auto_off": {"es": "Auto: no", "en": "Auto: off"},
    "present_auto_seconds": {"es": "Auto: {n} s", "en": "Auto: {n} s"},
    "present_downloads": {"es": "Descargas", "en": "Downloads"},
    # factsheet and deck files
    "factsheet_name": {"es": "Ficha informativa MIRPS", "en": "MIRPS factsheet"},
    "factsheet_title": {
        "es": "Desplazamiento forzado en los Estados MIRPS, fin de {year}",
        "en": "Forced displacement in the MIRPS States, end of {year}",
    },
    "factsheet_lead": {
        "es": "Personas desplazadas por la fuerza hacia, desde y dentro de Belice, Costa Rica, El Salvador, "
        "Guatemala, Honduras, México y Panamá a fin de {year}, según las fuentes públicas citadas al pie.",
        "en": "Forcibly displaced people to, from and within Belize, Costa Rica, El Salvador, Guatemala, "
        "Honduras, Mexico and Panama at the end of {year}, from the public sources named below.",
    },
    "factsheet_country_lead": {
        "es": "Personas acogidas en el país, originarias de él y desplazadas dentro de él, a fin de {year}.",
        "en": "People hosted in, from and displaced within the country, at the end of {year}.",
    },
    "factsheet_protection_lead": {
        "es": "Solicitudes de asilo, decisiones, tasa de protección, personas en espera y personas acogidas por cada "
        "1.000 habitantes en {year}, frente a {baseline}. Cifras públicas del ACNUR y de población.",
        "en": "Asylum applications, decisions, protection rate, people awaiting a decision and people hosted per "
        "1,000 inhabitants in {year}, against {baseline}. Public UNHCR and population figures.",
    },
    "factsheet_date_of_data": {"es": "Fecha de los datos: {date}", "en": "Date of data: {date}"},
    "factsheet_page": {"es": "Página {n} de {total}", "en": "Page {n} of {total}"},
    "illustrative_watermark": {"es": "DATOS ILUSTRATIVOS", "en": "ILLUSTRATIVE DATA"},
    "download_factsheet": {"es": "Ficha informativa (PDF)", "en": "Factsheet (PDF)"},
    "download_deck": {"es": "Presentación (PPTX)", "en": "Slide deck (PPTX)"},
    "downloads_lead": {
        "es": "La ficha informativa (región y cada Estado MIRPS) y la presentación, con las mismas cifras y "
        "fuentes que la pantalla, en el idioma de la página.",
        "en": "The factsheet (the region and each MIRPS State) and the slide deck, with the same figures and "
        "sources as the screen, in the page's language.",
    },
    # data cuts: figures frozen under a name for a meeting
    "cut_pick": {"es": "Cifras", "en": "Figures"},
    "cut_live": {"es": "Cifras en vivo", "en": "Live figures"},
    "cut_stamp": {
        "es": "Corte de datos «{name}» · cifras al {date}",
        "en": "Data cut “{name}” · figures as of {date}",
    },
    "cut_changes": {"es": "Cambios desde «{previous}»", "en": "Changed since “{previous}”"},
    "cut_changes_live": {
        "es": "Cifras en vivo: cambios desde el último corte «{previous}»",
        "en": "Live figures: changed since the last cut “{previous}”",
    },
    "cut_no_changes": {
        "es": "Ninguna cifra principal cambió desde «{previous}».",
        "en": "No headline figure changed since “{previous}”.",
    },
    "cut_change_line": {"es": "{figure}: {old} → {new}", "en": "{figure}: {old} → {new}"},
    "cut_value_year": {"es": "{value} ({year})", "en": "{value} ({year})"},
    "cut_region": {"es": "Región MIRPS", "en": "MIRPS region"},
    "cut_create": {"es": "Congelar cifras", "en": "Freeze figures"},
    "cut_create_lead": {
        "es": "Un corte congela las cifras de todas las presentaciones bajo un nombre, para que no cambien "
        "durante una reunión. Un corte no se modifica nunca.",
        "en": "A cut freezes the figures of every deck under a name, so they do not move during a meeting. "
        "A cut is never changed afterwards.",
    },
    "cut_name": {"es": "Nombre del corte", "en": "Name of the cut"},
    "cut_as_of": {"es": "Cifras al", "en": "Figures as of"},
    "cut_create_button": {"es": "Crear corte", "en": "Create cut"},
    "cut_created": {"es": "Corte «{name}» creado.", "en": "Cut “{name}” created."},
    "cut_err_bad_name": {
        "es": "El nombre de un corte tiene de 1 a {max} caracteres, sin saltos de línea.",
        "en": "A cut's name has 1 to {max} characters, without line breaks.",
    },
    "cut_err_exists": {
        "es": "Ya existe un corte llamado «{name}»; los cortes no se sobrescriben. Elija otro nombre.",
        "en": "A cut named “{name}” exists already; cuts are never overwritten. Choose another name.",
    },
    "cut_err_no_data": {
        "es": "Todavía no hay cifras de población que congelar.",
        "en": "There are no population figures to freeze yet.",
    },
    "cut_err_unknown": {"es": "No existe un corte llamado «{name}».", "en": "There is no cut named “{name}”."},
    "cut_err_unreadable": {
        "es": "El corte «{name}» no contiene lo que esta versión necesita para dibujarlo.",
        "en": "The cut “{name}” does not hold what this version needs to draw it.",
    },
    "cut_refused": {
        "es": "Solo la Secretaría Técnica y la PPT pueden crear cortes.",
        "en": "Only the Technical Secretariat and the PPT may create cuts.",
    },
    "cut_none": {"es": "Todavía no hay cortes.", "en": "No cuts yet."},
    "meta_cut": {"es": "Corte de datos", "en": "Data cut"},
    "meta_cut_as_of": {"es": "Cifras al", "en": "Figures as of"},
    "meta_cut_created": {"es": "Corte creado", "en": "Cut created"},
    "meta_deck": {"es": "Presentación", "en": "Deck"},
    "meta_year": {"es": "Año de los datos", "en": "Year of data"},
    "deck_region": {"es": "Región", "en": "Region"},
    "download_cut_figures": {"es": "Cifras del corte (Excel)", "en": "Figures of the cut (Excel)"},
    "col_scope": {"es": "Ámbito", "en": "Scope"},
    "col_figure": {"es": "Cifra", "en": "Figure"},
    "col_figure_key": {"es": "Código de la cifra", "en": "Figure code"},
    # maps
    "status_recognized": {"es": "Reconocida", "en": "Recognized"},
    "status_agreement_to_implement": {"es": "Acuerdo para implementar", "en": "Agreement to implement"},
    "status_in_progress": {"es": "En proceso", "en": "In progress"},
    "map_disclaimer": {
        "es": "Las fronteras y nombres de este mapa no implican aprobación ni aceptación oficial por parte de las "
        "Naciones Unidas ni de la OEA.",
        "en": "The boundaries and names shown on this map do not imply official endorsement or acceptance by the "
        "United Nations or the OAS.",
    },
    "tooltip_city": {
        "es": "{place}\nEstado: {status}\nFecha: {date}\nPoblación (GeoNames): {population}",
        "en": "{place}\nStatus: {status}\nDate: {date}\nPopulation (GeoNames): {population}",
    },
    "tooltip_city_group": {
        "es": "{n} ciudades en un mismo punto a esta escala: {cities}. Acerque el mapa para separarlas.",
        "en": "{n} cities on one spot at this scale: {cities}. Zoom in to tell them apart.",
    },
    "tooltip_flow": {
        "es": "{origin} → {asylum}: {value} personas",
        "en": "{origin} → {asylum}: {value} people",
    },
    # load errors
    "err_missing_file": {"es": "falta el archivo", "en": "the file is missing"},
    "err_not_utf8": {"es": "el archivo no está en UTF-8", "en": "the file is not UTF-8"},
    "err_empty_file": {"es": "el archivo está vacío", "en": "the file is empty"},
    "err_missing_column": {"es": "falta la columna", "en": "the column is missing"},
    "err_unexpected_column": {"es": "columna no esperada", "en": "unexpected column"},
    "err_duplicate_column": {"es": "columna repetida", "en": "the column appears twice"},
    "err_wrong_cell_count": {
        "es": "la fila tiene {found} celdas y se esperaban {expected}",
        "en": "the row has {found} cells, {expected} expected",
    },
    "err_empty": {"es": "el valor es obligatorio", "en": "a value is required"},
    "err_not_allowed": {
        "es": "«{value}» no es válido; use uno de: {allowed}",
        "en": "'{value}' is not allowed; use one of: {allowed}",
    },
    "err_not_iso3": {"es": "«{value}» no es un código ISO3", "en": "'{value}' is not an ISO3 code"},
    "err_not_integer": {"es": "«{value}» no es un número entero", "en": "'{value}' is not a whole number"},
    "err_negative": {"es": "«{value}» es negativo", "en": "'{value}' is negative"},
    "err_not_number": {"es": "«{value}» no es un número", "en": "'{value}' is not a number"},
    "err_not_boolean": {"es": "«{value}» no es true/false", "en": "'{value}' is not true/false"},
    "err_too_long": {"es": "el texto pasa de {limit} caracteres", "en": "the text is longer than {limit} characters"},
    "err_duplicate_row": {"es": "repite la fila {first_row}", "en": "repeats row {first_row}"},
    "err_where": {"es": "{file}, fila {row}, columna {column}", "en": "{file}, row {row}, column {column}"},
    "err_where_file": {"es": "{file}", "en": "{file}"},
    "err_where_row": {"es": "{file}, fila {row}", "en": "{file}, row {row}"},
    # Open data by URL (`api`, `routes`) and embeddable charts (`embeds`)
    "api_unknown_dataset": {
        "es": "No hay un conjunto de datos «{name}»; los hay: {known}",
        "en": "There is no dataset '{name}'; there are: {known}",
    },
    "api_unknown_format": {
        "es": "No se ofrece el formato «{format}»; se ofrecen: {known}",
        "en": "The format '{format}' is not offered; these are: {known}",
    },
    "api_unknown_parameter": {
        "es": "El parámetro «{parameter}» no existe aquí; se admiten: {allowed}",
        "en": "There is no parameter '{parameter}' here; these are accepted: {allowed}",
    },
    "api_parameter_too_long": {
        "es": "El parámetro «{parameter}» pasa de {limit} caracteres",
        "en": "The parameter '{parameter}' is longer than {limit} characters",
    },
    "api_too_many_values": {
        "es": "Un filtro admite hasta {limit} valores",
        "en": "A filter takes at most {limit} values",
    },
    "api_bad_country": {
        "es": "«{value}» en «{parameter}» no es un código de país ISO3 (tres letras, como HND)",
        "en": "'{value}' in '{parameter}' is not an ISO3 country code (three letters, such as HND)",
    },
    "api_bad_year": {
        "es": "«{value}» en «{parameter}» no es un año ni un rango de años entre {low} y {high} (2016-2025)",
        "en": "'{value}' in '{parameter}' is not a year or a range of years between {low} and {high} (2016-2025)",
    },
    "api_bad_choice": {
        "es": "«{value}» no es válido en «{parameter}»; use uno de: {allowed}",
        "en": "'{value}' is not allowed in '{parameter}'; use one of: {allowed}",
    },
    "api_bad_number": {
        "es": "«{parameter}» debe ser un número entero entre {low} y {high}",
        "en": "'{parameter}' must be a whole number between {low} and {high}",
    },
    "api_bad_lang": {"es": "«lang» debe ser uno de: {allowed}", "en": "'lang' must be one of: {allowed}"},
    "api_unknown_cut": {
        "es": "No hay un corte de datos «{name}»; la lista está en /api/v1/cuts",
        "en": "There is no data cut '{name}'; the list is at /api/v1/cuts",
    },
    "api_not_found": {
        "es": "No hay nada en esta dirección; la lista de datos está en /api/v1/datasets",
        "en": "Nothing is at this address; the list of datasets is at /api/v1/datasets",
    },
    "api_unavailable": {
        "es": "No se puede leer la base de datos ahora; inténtelo de nuevo en unos minutos",
        "en": "The database cannot be read now; try again in a few minutes",
    },
    "api_not_public": {
        "es": "Este tablero no publica datos abiertos: sus cifras se ven solo con una sesión iniciada",
        "en": "This dashboard publishes no open data: its figures are shown to signed-in users only",
    },
    "api_failed": {
        "es": "No se pudo responder a esta petición; el fallo quedó registrado en el servidor",
        "en": "This request could not be answered; the failure was logged on the server",
    },
    "api_indicator_publisher": {
        "es": "Estados del MIRPS (equipos técnicos nacionales), validado por la Presidencia Pro Tempore",
        "en": "MIRPS States (National Technical Teams), validated by the Pro-Tempore Presidency",
    },
    "api_indicator_source": {
        "es": "Informes nacionales de avance de los planes de acción del MIRPS",
        "en": "National progress reports on the MIRPS action plans",
    },
    "api_date_per_row": {"es": "periodo por fila", "en": "period per row"},
    "api_label_field": {
        "es": "Nombre en el idioma pedido (lang) del código a su izquierda",
        "en": "Name in the requested language (lang) of the code to its left",
    },
    "embed_unknown_figure": {
        "es": "No hay un gráfico «{name}» para insertar; los hay: {known}",
        "en": "There is no chart '{name}' to embed; there are: {known}",
    },
    "embed_no_data": {"es": "Aún no hay datos que mostrar", "en": "There are no data to show yet"},
    "embed_trend_asylum": {"es": "Acogidas en {country}", "en": "Hosted in {country}"},
    "embed_trend_origin": {"es": "Originarias de {country}", "en": "From {country}"},
    "embed_by_country": {
        "es": "Acogidas en y originarias de cada país MIRPS,",
        "en": "Hosted in and from each MIRPS country,",
    },
    "embed_region": {"es": "región MIRPS", "en": "MIRPS region"},
    "embed_licence": {"es": "licencia", "en": "licence"},
    "embed_button": {"es": "Insertar", "en": "Embed"},
    "embed_code_help": {
        "es": "Pegue este código en una página web para mostrar el gráfico con su fuente; funciona sin conexión "
        "a otros servidores:",
        "en": "Paste this code into a web page to show the chart with its source; it needs no other server:",
    },
    "embed_data_help": {
        "es": "Los datos del gráfico (CSV, para una hoja de cálculo):",
        "en": "The chart's data (CSV, for a spreadsheet):",
    },
    "embed_iframe_title": {"es": "Gráfico del tablero MIRPS", "en": "MIRPS Dashboard chart"},
    "embed_full_view": {"es": "Ver en el tablero MIRPS", "en": "Open in the MIRPS Dashboard"},
    "embed_data": {"es": "Datos (CSV)", "en": "Data (CSV)"},
}


def t(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def resolve_lang(requested: str | None, browser_locale: str | None) -> str:
    """`?lang=` wins; else the browser's language if we have it; else Spanish."""
    if requested in LANGS:
        return requested
    if browser_locale:
        language = browser_locale.replace("_", "-").split("-")[0].lower()
        if language in LANGS:
            return language
    return DEFAULT_LANG


NO_FIGURE = "—"  # where a figure would stand in a table cell or a card: no data, never zero


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """An exact number in the locale's style; None is "no data", never zero."""
    if value is None:
        return t("no_data", lang)
    return format_decimal(round(value, digits) if digits else round(value), locale=lang)


def percent(share: float | None, lang: str) -> str:
    if share is None:
        return t("no_data", lang)
    return format_percent(share, locale=lang, format="#,##0.#%")


def signed(value: float | int | None, lang: str, digits: int = 0) -> str:
    if value is None:
        return t("no_data", lang)
    # ASCII signs: Streamlit's metric reads a leading "-" to point its delta arrow down.
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    return sign + number(abs(value), lang, digits)


def long_date(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)


def source_date(text: str | None, lang: str) -> str | None:
    """A date as a source gives it, in words and at its own precision: "2020-06-29" -> "29 de junio de
    2020", "2021-06" -> "junio de 2021"; a year, a range or anything else stays as written."""
    if not text:
        return text
    try:
        if len(text) == 10:
            return long_date(date.fromisoformat(text), lang)
        if len(text) == 7 and text[4] == "-":
            return format_skeleton("yMMMM", date.fromisoformat(f"{text}-01"), locale=lang)
    except ValueError:
        pass
    return text


_ALPHA2 = get_global("territory_aliases")


UNHCR_CODES = {
    "UNK": {"es": "Origen desconocido", "en": "Unknown origin"},
    "XXA": {"es": "Apátridas", "en": "Stateless"},
}


def country_name(iso3: str, lang: str, fallback: str | None = None) -> str:
    """The country's name in `lang` from CLDR; UNHCR's own codes (UNK, XXA) by name; else the data's name."""
    if iso3 in UNHCR_CODES:
        return UNHCR_CODES[iso3][lang]
    alpha2 = _ALPHA2.get(iso3)
    if alpha2:
        name = Locale(lang).territories.get(alpha2[0])
        if name:
            return name
    return fallback or iso3


# The Support Platform's organisations, by the name its lists give (in English), with their official
# Spanish names: a Spanish page named them in English.
ORGANISATIONS = {
    "Central American Bank for Economic Integration (CABEI)": {
        "es": "Banco Centroamericano de Integración Económica (BCIE)"
    },
    "Economic Commission for Latin America and the Caribbean (ECLAC)": {
        "es": "Comisión Económica para América Latina y el Caribe (CEPAL)"
    },
    "European Union": {"es": "Unión Europea"},
    "Inter-American Development Bank (IDB)": {"es": "Banco Interamericano de Desarrollo (BID)"},
    "Organization of American States (OAS)": {"es": "Organización de los Estados Americanos (OEA)"},
    "UNHCR": {"es": "ACNUR"},
    "World Bank Group": {"es": "Grupo Banco Mundial"},
}


# The annual meetings' venues, by the name their sources give (in English), with their Spanish names. Every
# venue is listed, those the same in both languages too, so a new one is a decision, not an oversight.
PLACES = {
    "Belize City": {"es": "Ciudad de Belice"},
    "Guatemala (Cities of Solidarity event in Antigua Guatemala)": {
        "es": "Guatemala (evento de Ciudades Solidarias en Antigua Guatemala)"
    },
    "Heredia": {"es": "Heredia"},
    "Mexico City": {"es": "Ciudad de México"},
    "Panama City": {"es": "Ciudad de Panamá"},
    "Tegucigalpa": {"es": "Tegucigalpa"},
}


def _named(names: dict[str, dict[str, str]], name: str, lang: str) -> str:
    """`name` (as its English source gives it) in `lang`, from `names`; else as given."""
    return names.get(name, {}).get(lang, name)


def place_name(place: str, lang: str) -> str:
    return _named(PLACES, place, lang)


def member_name(name: str, iso3: str | None, lang: str) -> str:
    """A Support Platform member in `lang`: a State by its code, an organisation by its name."""
    if iso3 and iso3 in _ALPHA2:
        return country_name(iso3, lang, name)
    return _named(ORGANISATIONS, name, lang)


def country_names(codes, lang: str) -> str:
    """The countries' names in `lang`, comma-separated (a filter's value, the States a chart leaves out)."""
    return ", ".join(country_name(code, lang) for code in codes)


def population_type(code: str, lang: str) -> str:
    return t(f"type_{code}", lang)


# What the displacement figures mean, in the order a reader needs them.
DEFINITIONS = (
    "def_asylum_vs_origin",
    "def_refugees",
    "def_asylum_seekers",
    "def_oip",
    "def_idps",
    "def_stateless",
    "def_ooc",
    "def_returned_refugees",
    "def_returned_idps",
    "def_stocks",
)


def definitions(lang: str, keys: tuple[str, ...] = DEFINITIONS, *, bullets: bool = False) -> str:
    """The definitions as one Markdown text, one paragraph or list item each: a page shows them as one
    element (each element is a message to every visitor and a component for the browser to draw)."""
    texts = [_named_definition(key, lang) for key in keys]
    if bullets:
        return "\n".join(f"- {text}" for text in texts)
    return "\n\n".join(texts)


def _named_definition(key: str, lang: str) -> str:
    """A population type's definition opens with the type's name, as the selectors and tables call it."""
    name = f"type_{key.removeprefix('def_')}"
    return f"**{t(name, lang)}**: {t(key, lang)}" if name in STRINGS else t(key, lang)


def load_error(error, lang: str) -> str:
    """A `load.DataFileError` as one sentence in `lang`, naming file, row and column."""
    if error.row and error.column:
        where = t("err_where", lang, file=error.file, row=error.row, column=error.column)
    elif error.row:
        where = t("err_where_row", lang, file=error.file, row=error.row)
    else:
        where = t("err_where_file", lang, file=error.file)
    return f"{where}: {t('err_' + error.problem, lang, **error.detail)}"


# The indicator-values fields a problem names, as the grid and the preview head them.
IMPORT_COLUMNS = {
    "indicator_code": "col_indicator_code",
    "period": "col_period",
    "value": "imp_col_value",
    "version": "col_version",
    "comment": "col_comment",
}


def import_problem(problem, lang: str) -> str:
    """A `writes.Problem` as one line in `lang`: where (row, column) and what is wrong."""
    if problem.row and problem.column:
        column = t(IMPORT_COLUMNS[problem.column], lang) if problem.column in IMPORT_COLUMNS else problem.column
        where = t("imp_where_row_column", lang, row=problem.row, column=column)
    elif problem.row:
        where = t("imp_where_row", lang, row=problem.row)
    else:
        where = t("imp_where_file", lang)
    if problem.code.startswith("ref_"):  # a reference file cell, checked as the shipped files are
        return f"{where}: {t('err_' + problem.code.removeprefix('ref_'), lang, **problem.detail)}"
    return f"{where}: {t('imp_' + problem.code, lang, **problem.detail)}"
